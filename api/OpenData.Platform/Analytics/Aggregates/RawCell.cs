namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>
/// One group as the database counted it, before disclosure control: its key cells (as <see cref="KeyText"/>, the canonical text that
/// seeds its noise), its contributors, and per measured column the clipped sum, the sum and largest of the absolute clipped values
/// (for the dominance rule) and how many rows have a value.
/// </summary>
internal sealed record RawCell(object?[] Keys, string KeyText, long Count, IReadOnlyList<MeasuredColumn> Measured);

/// <summary>What one group holds of one measured column, true values (never published as such).</summary>
internal sealed record MeasuredColumn(double Sum, double SumAbs, double MaxAbs, long Values);
