using System.Security.Claims;

namespace OpenData.Platform.Records;

/// <summary>Told of every completed read, after the rows left: the seam for usage metering (issue 5) and the audit of restricted reads (issue 6).</summary>
public interface IRecordReadObserver
{
    ValueTask OnReadAsync(ClaimsPrincipal caller, ReadReport report, CancellationToken cancellationToken);
}

/// <summary>What a read returned, without any value of a row; <paramref name="Leaks"/> counts what the outbound check masked.</summary>
public sealed record ReadReport(string DatasetId, int Version, IReadOnlyList<string> Columns, long Rows, string QueryHash, bool Export,
    IReadOnlyList<Desensitisation.LeakCount> Leaks)
{
    /// <summary>The dataset's owner tenant.</summary>
    public string OwnerId { get; init; } = "";

    /// <summary>Whether the dataset is restricted or sensitive: such reads are audited one by one.</summary>
    public bool Restricted { get; init; }
}
