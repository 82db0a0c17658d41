using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Webhooks;

/// <summary>Tenants' webhooks: register, list, remove, and read the delivery log. Another tenant's webhook answers 404. HTTP only; the rules are <see cref="WebhookService"/>'s.</summary>
internal static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Webhooks");
        group.MapPost("/webhooks", Create).WithName("CreateWebhook").RequireAuthorization(Scopes.TenantAdmin)
            .Refuses(CommonErrors.Validation)
            .WithSummary("Register a webhook for the caller's tenant: URL, events, secret for the HMAC-SHA256 signature.");
        group.MapGet("/webhooks", List).WithName("ListWebhooks").RequireAuthorization(Scopes.TenantAdmin)
            .WithSummary("The tenant's webhooks.");
        group.MapDelete("/webhooks/{id}", Delete).WithName("DeleteWebhook").RequireAuthorization(Scopes.TenantAdmin)
            .Refuses(WebhooksErrors.WebhookNotFound)
            .WithSummary("Stop a webhook; its pending deliveries are dropped.");
        group.MapGet("/webhooks/{id}/deliveries", Deliveries).WithName("ListWebhookDeliveries").RequireAuthorization(Scopes.TenantAdmin)
            .Refuses(WebhooksErrors.WebhookNotFound)
            .WithSummary("The delivery log of a webhook, newest first.");
        group.MapPost("/webhooks/{id}/deliveries/{deliveryId}/redeliver", Redeliver).WithName("RedeliverWebhookDelivery").RequireAuthorization(Scopes.TenantAdmin)
            .Refuses(WebhooksErrors.WebhookNotFound, WebhooksErrors.DeliveryNotFound, WebhooksErrors.WebhookStopped)
            .WithSummary("Send a delivery's event again: a new delivery of the same event and payload, with its own id and signature timestamp.");
        return group;
    }

    internal static async Task<Results<Created<WebhookView>, ProblemHttpResult>> Create(
        NewWebhook body, ClaimsPrincipal user, WebhookService webhooks, HttpRequest request, CancellationToken cancellationToken)
    {
        var outcome = await webhooks.CreateAsync(user, body, cancellationToken);
        return outcome.Refusal is { } refusal
            ? Problems.From(refusal)
            : TypedResults.Created($"{PublicUrl.Base(request)}/v1/webhooks/{outcome.Value!.Id}", outcome.Value);
    }

    internal static async Task<Ok<WebhookList>> List(ClaimsPrincipal user, WebhookService webhooks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await webhooks.ListAsync(user, cancellationToken));

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, ClaimsPrincipal user, WebhookService webhooks, CancellationToken cancellationToken)
    {
        var outcome = await webhooks.DeleteAsync(user, id, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<DeliveryList>, ProblemHttpResult>> Deliveries(string id, ClaimsPrincipal user, WebhookService webhooks, CancellationToken cancellationToken)
    {
        var outcome = await webhooks.DeliveriesAsync(user, id, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> Redeliver(
        string id, string deliveryId, ClaimsPrincipal user, WebhookService webhooks, HttpRequest request, CancellationToken cancellationToken)
    {
        var outcome = await webhooks.RedeliverAsync(user, id, deliveryId, cancellationToken);
        return outcome.Refusal is { } refusal
            ? Problems.From(refusal)
            : TypedResults.Accepted($"{PublicUrl.Base(request)}/v1/webhooks/{Uri.EscapeDataString(id)}/deliveries", outcome.Value!);
    }
}
