using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Sandbox.Events;

/// <summary><c>POST /v1/sandbox/events</c>: a simulated, signed webhook event for the caller's sandbox webhooks. Sandbox tokens only.</summary>
internal static class SandboxEventEndpoints
{
    public const string Action = "simulated events";

    public static RouteHandlerBuilder MapSandboxEvents(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/v1/sandbox/events", Raise).WithName("SimulateSandboxEvent").WithTags("Sandbox")
            .RequireAuthorization()
            .SandboxOnly(Action)
            .Refuses(SandboxErrors.EventTypeUnknown, SandboxErrors.SimulationUnknown, CatalogueErrors.DatasetNotFound)
            .WithSummary("Simulate a webhook event (`{type, datasetId?, simulate?}`) for the caller's sandbox webhooks: delivered, signed and retried as a live one, "
                + "its body marked \"environment\": \"sandbox\"; simulate: fail_twice makes the first two attempts count as failed. 202 with the delivery ids "
                + "(none, with a note, when no sandbox webhook is subscribed to the type).");

    internal static async Task<Results<Accepted<SimulatedEventResult>, ProblemHttpResult>> Raise(
        SimulatedEventRequest body, ClaimsPrincipal user, SimulatedEvents events, HttpContext context, CancellationToken cancellationToken)
    {
        // The gate lets a caller without an app token through (a person in the portal): only a sandbox app's token simulates.
        if (!user.IsSandbox() || user.TenantId() is null)
        {
            return Problems.From(EnvironmentGate.LiveOnSandbox(Action), context.Response);
        }
        var outcome = await events.RaiseAsync(user, body, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Accepted((string?)null, outcome.Value!);
    }
}
