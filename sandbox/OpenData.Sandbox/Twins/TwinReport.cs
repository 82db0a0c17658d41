namespace OpenData.Sandbox.Twins;

/// <summary>
/// The fidelity and privacy report of a twin (stored as JSON with the twin, shown to the dataset's owner). <see cref="Passed"/> is
/// false when a privacy check failed — such a twin is never served — and <see cref="Failures"/> says why in plain words;
/// <see cref="Warnings"/> name fidelity measures beyond their usual bounds, which do not withhold the twin.
/// </summary>
internal sealed record TwinReport(
    bool Passed,
    IReadOnlyList<string> Failures,
    IReadOnlyList<string> Warnings,
    long? Seed,
    long RealRows,
    long TwinRows,
    IReadOnlyList<TwinColumnReport> Columns,
    IReadOnlyList<TwinPairReport> Pairs,
    TwinPrivacyReport Privacy);
