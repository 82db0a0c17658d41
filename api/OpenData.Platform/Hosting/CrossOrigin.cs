using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OpenData.Platform.Hosting;

/// <summary>
/// CORS for the API routes only, and only for the configured origins. Sign-in, consent and the token endpoints never
/// answer another origin: they are the routes a cookie or a client secret reaches. Credentials are never allowed: the
/// API takes bearer tokens from the Authorization header, which a cross-origin caller sends itself.
/// </summary>
internal static class CrossOrigin
{
    private const string PolicyName = "OpenData.Api";

    /// <summary>Headers a browser script may read: paging, quotas, export progress, the download's name.</summary>
    private static readonly string[] Exposed =
        ["Link", "RateLimit", "RateLimit-Policy", "Retry-After", "X-Dataset-Version", "X-Total-Rows", "X-Export-Rows", "X-Export-Truncated", "Content-Disposition"];

    public static IServiceCollection AddPlatformCors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CrossOriginOptions>().Bind(configuration.GetSection(CrossOriginOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var origins = configuration.GetSection(CrossOriginOptions.Section).Get<CrossOriginOptions>()?.AllowedOrigins ?? [];
        services.AddCors(cors => cors.AddPolicy(PolicyName, policy =>
        {
            if (origins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins([.. origins.Select(o => o.TrimEnd('/'))]);
            }
            policy.WithMethods("GET", "POST", "PATCH", "DELETE").WithHeaders("Authorization", "Content-Type", "Accept", "Accept-Language", "If-None-Match")
                .WithExposedHeaders(Exposed).SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));
        return services;
    }

    /// <summary>Before routing, so a preflight is answered here rather than refused as an unknown method.</summary>
    public static IApplicationBuilder UsePlatformCors(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<CrossOriginOptions>>().Value;
        if (options.AllowedOrigins.Count == 0)
        {
            return app;
        }
        return app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/v1") || context.Request.Path.StartsWithSegments("/graphql"),
            api => api.UseCors(PolicyName));
    }
}
