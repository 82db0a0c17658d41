using Xunit.Abstractions;
using Xunit.Sdk;

namespace OpenData.Tests.Infrastructure;

/// <summary>
/// A theory run once per database: <c>sqlite</c> always, <c>postgres</c> when <c>OPENDATA_TEST_POSTGRES</c> is set —
/// otherwise the postgres case shows as skipped, never silently absent. The test takes the database name as its first argument.
/// </summary>
[XunitTestCaseDiscoverer("OpenData.Tests.Infrastructure.DatabaseTheoryDiscoverer", "OpenData.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class DatabaseTheoryAttribute : TheoryAttribute;

/// <summary>Supplies the databases to a <see cref="DatabaseTheoryAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OnEachDatabaseAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod) => [[Db.Sqlite], [Db.Postgres]];
}

/// <summary>Names of the databases tests run on.</summary>
public static class Db
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
}

/// <summary>Turns the postgres row into a skipped test when no server is configured.</summary>
public sealed class DatabaseTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute, object[] dataRow)
    {
        if (dataRow.Length > 0 && Equals(dataRow[0], Db.Postgres) && !PostgresServer.IsConfigured)
        {
            return CreateTestCasesForSkippedDataRow(discoveryOptions, testMethod, theoryAttribute, dataRow,
                "PostgreSQL not configured: set OPENDATA_TEST_POSTGRES (CI does)");
        }
        return base.CreateTestCasesForDataRow(discoveryOptions, testMethod, theoryAttribute, dataRow);
    }
}
