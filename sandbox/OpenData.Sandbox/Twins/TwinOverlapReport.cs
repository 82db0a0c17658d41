namespace OpenData.Sandbox.Twins;

/// <summary>How many twin values of a high-cardinality column equal a real value of it (must be 0).</summary>
internal sealed record TwinOverlapReport(string Column, long TwinValues, long EqualToReal);
