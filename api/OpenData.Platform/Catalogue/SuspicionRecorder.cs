using System.Security.Claims;
using Microsoft.Extensions.Logging;
using OpenData.Platform.Datasets;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Catalogue;

/// <summary>
/// The read-time backstop of suspicion: when the outbound check masks a value in an untagged column (one ingestion did not flag,
/// say a version loaded before the scanner learnt a new written form), the column becomes suspected at once, so the next
/// filter or sort on it is refused. The read that found it already left masked.
/// </summary>
internal sealed partial class SuspicionRecorder(Database database, DatasetDirectory directory, ILogger<SuspicionRecorder> logger) : IRecordReadObserver
{
    public async ValueTask OnReadAsync(ClaimsPrincipal caller, ReadReport report, CancellationToken cancellationToken)
    {
        if (report.Sandbox || report.Leaks.Count == 0)
        {
            return;
        }
        var (dataset, _) = await directory.FindForReadCachedAsync(report.DatasetId, cancellationToken);
        if (dataset is null)
        {
            return;
        }
        var suspects = new List<(int Position, string Reason)>();
        foreach (var leak in report.Leaks)
        {
            if (dataset.FindColumn(leak.Column) is { Tag: null, Suspected: null } column && !suspects.Exists(s => s.Position == column.Position))
            {
                suspects.Add((column.Position, "masked:" + leak.Kind.ToString().ToLowerInvariant()));
            }
        }
        if (suspects.Count == 0)
        {
            return;
        }
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            if (CatalogueStore.Suspect(connection, dataset.Key, suspects) == 0)
            {
                return;
            }
        }
        directory.Forget(dataset.Id);
        foreach (var (position, reason) in suspects)
        {
            Suspected(logger, dataset.Id, dataset.Columns[position].Name, reason);
        }
    }

    [LoggerMessage(EventId = 4002, EventName = "column.suspected", Level = LogLevel.Warning,
        Message = "column.suspected: {Dataset}.{Column} is now suspected ({Reason}); it cannot be filtered or sorted on until its owner tags it")]
    private static partial void Suspected(ILogger logger, string dataset, string column, string reason);
}
