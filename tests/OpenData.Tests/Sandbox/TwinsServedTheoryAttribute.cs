using OpenData.Platform.Datasets;
using OpenData.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace OpenData.Tests.Sandbox;

/// <summary>
/// A <see cref="DatabaseTheoryAttribute"/> that needs twins served to sandbox callers: until the sandbox assembly implements
/// <see cref="ITwinTables"/>, its rows show as skipped (saying why), never silently absent.
/// </summary>
[XunitTestCaseDiscoverer("OpenData.Tests.Sandbox.TwinsServedTheoryDiscoverer", "OpenData.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class TwinsServedTheoryAttribute : TheoryAttribute;

/// <summary>Skips a <see cref="TwinsServedTheoryAttribute"/>'s rows while no twin store is composed, and postgres rows without a server.</summary>
public sealed class TwinsServedTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    internal static bool TwinsServed { get; } = typeof(OpenData.Sandbox.SandboxModule).Assembly.GetTypes()
        .Any(t => typeof(ITwinTables).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false });

    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute, object[] dataRow)
    {
        if (!TwinsServed)
        {
            return CreateTestCasesForSkippedDataRow(discoveryOptions, testMethod, theoryAttribute, dataRow,
                "the sandbox serves no twins yet (no ITwinTables in OpenData.Sandbox): sandbox reads answer 409 sandbox.twin_unavailable");
        }
        if (dataRow.Length > 0 && Equals(dataRow[0], Db.Postgres) && !PostgresServer.IsConfigured)
        {
            return CreateTestCasesForSkippedDataRow(discoveryOptions, testMethod, theoryAttribute, dataRow,
                "PostgreSQL not configured: set OPENDATA_TEST_POSTGRES (CI does)");
        }
        return base.CreateTestCasesForDataRow(discoveryOptions, testMethod, theoryAttribute, dataRow);
    }
}
