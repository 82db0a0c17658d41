namespace OpenData.Sandbox.Twins;

/// <summary>The privacy checks of a twin: no value overlap in high-cardinality columns, no more copied rows than real rows repeat, no twin rows closer to real ones than real rows are to each other.</summary>
internal sealed record TwinPrivacyReport(bool Passed, IReadOnlyList<TwinOverlapReport> Overlap, TwinCopyReport Copies, TwinDistanceReport Distance);
