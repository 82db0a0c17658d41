namespace OpenData.Sandbox.Twins;

/// <summary>
/// Distance to closest record: for sampled twin rows and held-out real rows, the distance to the nearest row of a reference sample of
/// real rows (mean over columns: 0 or 1 for unequal text, categories and booleans, the difference over the range for numbers and
/// dates, 1 between NULL and a value). Fails when the twin's 5th percentile is below 0.8 × the held-out rows' 5th percentile.
/// </summary>
internal sealed record TwinDistanceReport(
    bool Measured,
    int ReferenceRows,
    int HoldoutRows,
    int TwinRows,
    double RealP5,
    double TwinP5,
    double RealMedian,
    double TwinMedian,
    bool Passed);
