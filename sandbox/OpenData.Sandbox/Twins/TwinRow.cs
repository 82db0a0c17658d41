namespace OpenData.Sandbox.Twins;

/// <summary>One row of <c>sandbox_twins</c>: the twin of one version of a dataset, its state and its report.</summary>
internal sealed class TwinRow
{
    public long DatasetKey { get; init; }

    public string DatasetId { get; init; } = "";

    public int Version { get; init; }

    /// <summary><see cref="TwinStatus"/>: queued, generating, ready, withheld or failed.</summary>
    public string Status { get; init; } = "";

    /// <summary>The table served to sandbox callers; empty while none is (a generation that has not finished, or was withheld).</summary>
    public string TableName { get; init; } = "";

    public long Seed { get; init; }

    public string SchemaHash { get; init; } = "";

    public int Generation { get; init; }

    public long SourceRows { get; init; }

    public long RowCount { get; init; }

    /// <summary>The fidelity and privacy report (JSON), once generated.</summary>
    public string? Report { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>The states of a twin.</summary>
internal static class TwinStatus
{
    /// <summary>Waiting for a node to generate it.</summary>
    public const string Queued = "queued";

    /// <summary>A node holds its lease and is generating it.</summary>
    public const string Generating = "generating";

    /// <summary>Generated, its privacy checks passed: served to sandbox callers.</summary>
    public const string Ready = "ready";

    /// <summary>Generated but failed a privacy check: never served; its report says why.</summary>
    public const string Withheld = "withheld";

    /// <summary>Generation failed (an error, not a check); the next publish or tag change tries again.</summary>
    public const string Failed = "failed";
}
