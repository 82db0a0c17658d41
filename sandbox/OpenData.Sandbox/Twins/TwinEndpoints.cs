using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Records;

namespace OpenData.Sandbox.Twins;

/// <summary><c>GET /v1/datasets/{id}/twin</c>: the state of a dataset's synthetic twin and its fidelity and privacy report, for its owner and the operators.</summary>
internal static class TwinEndpoints
{
    public static RouteGroupBuilder MapTwins(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/datasets/{id}").WithTags("Sandbox");
        group.MapGet("/twin", GetTwin).WithName("GetTwin").RequireAuthorization()
            .LiveOnly("a twin's report (it describes the real rows' statistics)")
            .Refuses(TwinErrors.NotOwner, TwinErrors.NotFound, CatalogueErrors.DatasetNotFound, RecordsErrors.OutsideAppScope)
            .WithSummary("The synthetic twin of the dataset's newest version that has one: its state (queued, generating, ready, withheld, failed), "
                + "rows, and the fidelity and privacy report (per column a distribution distance, per pair of categorical columns the difference "
                + "of association, the privacy checks). A twin that failed a privacy check is withheld and never served. For the owner and the operators.");
        return group;
    }

    internal static async Task<Results<Ok<TwinDocument>, ProblemHttpResult>> GetTwin(string id, ClaimsPrincipal user, DatasetDirectory directory, TwinStore store,
        CancellationToken cancellationToken)
    {
        var dataset = await directory.FindAsync(id, cancellationToken);
        if (dataset is null)
        {
            return Problems.From(DatasetDirectory.NotFound(id));
        }
        // The report describes the real rows' statistics: an app bound to other datasets is refused as a read of them would be.
        if (AppDatasetScope.Refuses(user, dataset.Id) is { } outside)
        {
            return Problems.From(outside);
        }
        if (!string.Equals(user.TenantId(), dataset.OwnerId, StringComparison.Ordinal) && !user.HasScope(Scopes.PlatformAdmin))
        {
            return Problems.From(Refusal.Forbidden(TwinErrors.NotOwner,
                $"the twin report of '{dataset.Id}' is shown to its owner '{dataset.OwnerId}' and the platform's operators only"));
        }
        var twin = await store.FindLatestAsync(dataset.Key, cancellationToken);
        if (twin is null || (dataset.CurrentVersion is { } current && twin.Version < current))
        {
            // A version just published: the worker queues its twin at its next turn.
            return dataset.CurrentVersion is { } version
                ? TypedResults.Ok(new TwinDocument(dataset.Id, version, 0, TwinStatus.Queued, false, 0, 0, null, null, null, null))
                : Problems.From(Refusal.NotFound(TwinErrors.NotFound, $"'{dataset.Id}' has no twin: nothing is published yet, and a twin is made after each version is published"));
        }
        return TypedResults.Ok(TwinDocument.From(twin));
    }
}

/// <summary>A twin as its owner sees it.</summary>
internal sealed record TwinDocument(string DatasetId, int Version, int Generation, string Status, bool Served, long Rows, long SourceRows,
    DateTimeOffset? CreatedAt, DateTimeOffset? FinishedAt, string? Error, JsonElement? Report)
{
    public static TwinDocument From(TwinRow twin)
    {
        ArgumentNullException.ThrowIfNull(twin);
        JsonElement? report = twin.Report is null ? null : JsonDocument.Parse(twin.Report).RootElement.Clone();
        return new(twin.DatasetId, twin.Version, twin.Generation, twin.Status, twin.TableName.Length > 0 && twin.Status != TwinStatus.Withheld, twin.RowCount,
            twin.SourceRows, twin.CreatedAt, twin.FinishedAt, twin.Error, report);
    }
}
