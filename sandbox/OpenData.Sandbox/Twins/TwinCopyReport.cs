namespace OpenData.Sandbox.Twins;

/// <summary>
/// Whole-row copies: the share of twin rows equal (all columns) to some real row, against the share of real rows equal to another
/// real row; fails when the first exceeds the second by more than <see cref="Margin"/>.
/// </summary>
internal sealed record TwinCopyReport(long TwinCopies, double TwinShare, double RealShare, double Margin, bool Passed);
