namespace OpenData.Sandbox.Twins;

/// <summary>The association (Cramér's V, 0 none to 1 one column fixes the other) of two categorical columns, real and twin.</summary>
internal sealed record TwinPairReport(string First, string Second, double Real, double Twin, double Difference);
