using Npgsql;

namespace OpenData.Tests.Infrastructure;

/// <summary>The PostgreSQL server of <c>OPENDATA_TEST_POSTGRES</c>; each test host gets a database of its own.</summary>
public static class PostgresServer
{
    public static string? ConnectionString { get; } = Environment.GetEnvironmentVariable("OPENDATA_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    public static bool IsConfigured => ConnectionString is not null;

    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "od_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, Pooling = true }.ToString();
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            // An autovacuum worker (a superuser's process) may sit in the fresh database; it leaves within moments.
            catch (PostgresException e) when (e.SqlState is "42501" or "55006" && attempt < 20)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }
}
