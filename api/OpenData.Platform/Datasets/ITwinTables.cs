namespace OpenData.Platform.Datasets;

/// <summary>
/// The sandbox's synthetic twins as the read path needs them: a sandbox caller reads the twin of the version it would otherwise
/// read, never the version's own rows. The sandbox module implements it; without one, no twin is ever served.
/// </summary>
internal interface ITwinTables
{
    /// <summary>The twin of <paramref name="version"/> of <paramref name="dataset"/>, or why none is served.</summary>
    ValueTask<TwinLookup> FindAsync(DatasetSchema dataset, int version, CancellationToken cancellationToken);
}

/// <summary>A twin's table (same columns as the version's, values made up), or why none is served yet.</summary>
internal sealed record TwinLookup(DatasetVersionTable? Table, TwinAbsence Absence = TwinAbsence.None)
{
    public static TwinLookup Missing { get; } = new(null, TwinAbsence.NotGenerated);
}

/// <summary>Why a version has no twin to serve.</summary>
internal enum TwinAbsence
{
    /// <summary>A twin is served.</summary>
    None,

    /// <summary>Queued or being generated: ask again shortly.</summary>
    Generating,

    /// <summary>Generated but withheld: it failed a privacy check, and is never served.</summary>
    Withheld,

    /// <summary>No twin exists for this version (no sandbox composed, or generation failed).</summary>
    NotGenerated,
}

/// <summary>The default when no sandbox module is composed: no version has a twin.</summary>
internal sealed class NoTwinTables : ITwinTables
{
    public ValueTask<TwinLookup> FindAsync(DatasetSchema dataset, int version, CancellationToken cancellationToken) => ValueTask.FromResult(TwinLookup.Missing);
}
