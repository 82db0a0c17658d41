namespace OpenData.Tests.Hosting.Fuzz;

/// <summary>Who sends a fuzzed request.</summary>
public enum FuzzCaller
{
    Anonymous,
    Consumer,
    Owner,
    Operator,
}
