using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;

namespace OpenData.Sandbox.Promotion;

/// <summary>Promote to live: <c>POST /v1/apps/{id}/promote</c>, and the recording of sandbox reads it draws on.</summary>
internal static class PromotionEndpoints
{
    public static IServiceCollection AddPromotion(this IServiceCollection services)
    {
        services.AddSingleton<SandboxReadStore>();
        services.AddSingleton<PromotionStore>();
        services.AddSingleton<PromotionService>();
        services.AddSingleton<IRecordReadObserver, SandboxReadRecorder>();
        return services;
    }

    public static RouteGroupBuilder MapPromotion(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Sandbox");
        group.MapPost("/apps/{id}/promote", Promote).WithName("PromoteApp").RequireAuthorization(Scopes.TenantAdmin)
            .LiveOnly("promoting an app to live")
            .Refuses(CommonErrors.Validation, TenancyErrors.AppNotFound, PromotionErrors.NotSandboxApp, PromotionErrors.AlreadyPromoted)
            .WithSummary("Promote a sandbox app: a live app of the same tenant (credentials shown once) and draft access requests for the restricted data it read.")
            .WithDescription("The live app gets the sandbox app's name, scopes and redirect URIs. For each restricted or sensitive dataset the sandbox app "
                + "read, a draft access request for the live app asks for exactly the columns it read (open datasets need none); drafts are the tenant's "
                + "alone until submitted (`POST /v1/access-requests/{id}/submit`). Each sandbox app is promoted once: again, 409 `sandbox.already_promoted`.");
        return group;
    }

    internal static async Task<Results<Created<AppPromotion>, ProblemHttpResult>> Promote(
        string id, ClaimsPrincipal user, PromotionService promotion, HttpRequest request, CancellationToken cancellationToken)
    {
        var outcome = await promotion.PromoteAsync(user, id, cancellationToken);
        return outcome.Refusal is { } refusal
            ? Problems.From(refusal)
            : TypedResults.Created($"{PublicUrl.Base(request)}/v1/apps/{outcome.Value!.App.Id}", outcome.Value);
    }
}
