namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>What a measure computes over a group's rows.</summary>
internal enum MeasureFunction
{
    Count,
    Sum,
    Avg,
    Min,
    Max,
}
