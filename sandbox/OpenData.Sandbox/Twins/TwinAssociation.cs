namespace OpenData.Sandbox.Twins;

/// <summary>The association (Cramér's V) of two categorical columns in the real rows.</summary>
internal sealed record TwinAssociation(int First, int Second, double CramersV);
