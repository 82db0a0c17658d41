using OpenData.Platform.Desensitisation;

namespace OpenData.Platform.Risk;

/// <summary>
/// How re-identifiable the rows of one view are: the k-anonymity of the quasi-identifier columns it shows (<c>minK</c>, the
/// smallest group of rows sharing one combination; <c>shareBelow5</c>, the share of rows in groups of fewer than five), measured
/// on version <c>version</c> at access level <c>level</c>. With no quasi-identifier shown every row looks alike: one group of all rows.
/// </summary>
internal sealed record ReidentificationRisk(
    long? MinK, double ShareBelow5, IReadOnlyList<string> QuasiIdentifiers, long Rows, long Classes, int Version, AccessLevel Level);
