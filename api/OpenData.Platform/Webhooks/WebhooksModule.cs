using Microsoft.Extensions.DependencyInjection;

namespace OpenData.Platform.Webhooks;

/// <summary>Registers webhooks: the store and service of the webhook routes, the outbox other modules raise events through, and the delivery worker.</summary>
internal static class WebhooksModule
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookService>();
        services.AddSingleton<WebhookOutbox>();
        services.AddHostedService<WebhookDelivery>();
        return services;
    }
}
