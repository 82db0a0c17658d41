using System.Security.Claims;

namespace OpenData.Platform.Records;

/// <summary>Told of every completed read, after the rows left: the seam for usage metering (issue 5) and the audit of restricted reads (issue 6).</summary>
public interface IRecordReadObserver
{
    ValueTask OnReadAsync(ClaimsPrincipal caller, ReadReport report, CancellationToken cancellationToken);
}

/// <summary>What a read returned, without any value of a row.</summary>
public sealed record ReadReport(string DatasetId, int Version, IReadOnlyList<string> Columns, long Rows, string QueryHash, bool Export);
