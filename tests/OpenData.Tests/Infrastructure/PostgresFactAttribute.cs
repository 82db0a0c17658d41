namespace OpenData.Tests.Infrastructure;

/// <summary>A fact about PostgreSQL alone: skipped, with the reason, when <c>OPENDATA_TEST_POSTGRES</c> is not set.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!PostgresServer.IsConfigured)
        {
            Skip = "PostgreSQL not configured: set OPENDATA_TEST_POSTGRES (CI does)";
        }
    }
}
