using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using OpenData.Platform.Common;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Health;

/// <summary><c>/healthz</c> (the process answers) and <c>/readyz</c> (the store answers and is fully migrated).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", Healthz).WithName("Healthz").WithTags("Health").AllowAnonymous()
            .WithSummary("The process answers (liveness).");
        routes.MapGet("/readyz", Readyz).WithName("Readyz").WithTags("Health").AllowAnonymous()
            .Refuses(HealthErrors.NotMigrated, HealthErrors.StoreUnreachable)
            .WithSummary("The store answers and carries every migration of this build (readiness).");
        return routes;
    }

    internal static Ok<HealthStatus> Healthz() => TypedResults.Ok(new HealthStatus("ok", null, null));

    internal static async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> Readyz(Migrator migrator, Database database, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var expected = migrator.Available.Count == 0 ? 0 : migrator.Available[^1].Version;
        try
        {
            var current = await migrator.CurrentVersionAsync(cancellationToken);
            if (current < expected)
            {
                return Problems.Create(StatusCodes.Status503ServiceUnavailable, HealthErrors.NotMigrated, "Not ready",
                    $"the store is at migration {current}, this build needs {expected}: run 'migrate'");
            }
            return TypedResults.Ok(new HealthStatus("ready", database.Provider.ToString().ToLowerInvariant(), current));
        }
        catch (System.Data.Common.DbException e)
        {
            // The driver's words name hosts, ports and users: they go to the log, not to an anonymous caller.
            loggers.CreateLogger(typeof(HealthEndpoints)).LogWarning(e, "Readiness: the store does not answer");
            database.ReportFailure(e);
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, HealthErrors.StoreUnreachable, "Not ready", "the store does not answer; the reason is in the host's log");
        }
    }
}

/// <summary>The answer of the health routes.</summary>
internal sealed record HealthStatus(string Status, string? Database, int? Migration);
