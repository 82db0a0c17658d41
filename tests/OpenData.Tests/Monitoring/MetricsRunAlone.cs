namespace OpenData.Tests.Monitoring;

/// <summary>
/// The platform's instruments are static (one <c>OpenData</c> meter per process, as in production, where one host runs): tests that
/// read exact figures from <c>/metrics</c> run alone, after the parallel tests, so no other host's requests add to them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsRunAlone
{
    public const string Name = "metrics";
}
