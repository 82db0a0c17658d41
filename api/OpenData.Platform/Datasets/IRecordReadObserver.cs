using System.Security.Claims;

namespace OpenData.Platform.Datasets;

/// <summary>Told of every completed read, after the rows left: the seam for usage metering (issue 5) and the audit of restricted reads (issue 6).</summary>
internal interface IRecordReadObserver
{
    ValueTask OnReadAsync(ClaimsPrincipal caller, ReadReport report, CancellationToken cancellationToken);
}

/// <summary>What a read returned, without any value of a row; <paramref name="Leaks"/> counts what the outbound check masked.</summary>
internal sealed record ReadReport(string DatasetId, int Version, IReadOnlyList<string> Columns, long Rows, string QueryHash, bool Export,
    IReadOnlyList<LeakCount> Leaks)
{
    /// <summary>The dataset's owner tenant.</summary>
    public string OwnerId { get; init; } = "";

    /// <summary>Whether the dataset is restricted or sensitive: such reads are audited one by one.</summary>
    public bool Restricted { get; init; }

    /// <summary>
    /// Whether a sandbox caller read the version's synthetic twin: no real value left, so the owner's audit, monitoring and the
    /// column suspicions ignore it (a made-up value the outbound check masked says nothing about the real column); usage counts it.
    /// </summary>
    public bool Sandbox { get; init; }

    /// <summary>
    /// How an export ended (<see cref="ExportOutcome"/>); null for pages. An export is reported on every exit, with
    /// <see cref="Rows"/> the rows handed to the connection before it ended, not the rows it meant to send.
    /// </summary>
    public string? Outcome { get; init; }

    /// <summary>Whether it was an aggregate: <see cref="Rows"/> counts its groups, <see cref="Columns"/> those it grouped and measured.</summary>
    public bool Aggregate { get; init; }
}

/// <summary>How an export ended, as its report and audit entry say.</summary>
internal static class ExportOutcome
{
    /// <summary>Every row of the version was sent.</summary>
    public const string Complete = "complete";

    /// <summary>The plan's limits stopped it early, as its headers said.</summary>
    public const string Truncated = "truncated";

    /// <summary>The client went away (reset, cancelled, timed out) mid-stream.</summary>
    public const string Aborted = "aborted";

    /// <summary>The server failed mid-stream (the connection was aborted so no one takes it for whole) or before the first byte.</summary>
    public const string Failed = "failed";
}

/// <summary>Leaks the outbound check masked in one column during one read: never the values, only where and how many.</summary>
internal sealed record LeakCount(string Column, PiiKind Kind, long Count);
