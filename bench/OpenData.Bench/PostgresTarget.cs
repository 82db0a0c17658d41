using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace OpenData.Bench;

/// <summary>A fresh database <c>od_bench_&lt;random&gt;</c> on the given server; dropped on dispose.</summary>
internal sealed class PostgresTarget : IAsyncDisposable
{
    private readonly string _admin;

    private PostgresTarget(string admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        PsqlEnvironment = new Dictionary<string, string?>
        {
            ["PGHOST"] = builder.Host,
            ["PGPORT"] = builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGUSER"] = builder.Username,
            ["PGPASSWORD"] = builder.Password,
            ["PGDATABASE"] = name,
            ["PGAPPNAME"] = "opendata-bench",
        };
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>PG* variables so psql reaches the same database as the platform.</summary>
    public IReadOnlyDictionary<string, string?> PsqlEnvironment { get; }

    public static async Task<PostgresTarget> CreateAsync(string admin, CancellationToken cancellationToken)
    {
        var name = "od_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition($"CREATE DATABASE \"{name}\"", cancellationToken: cancellationToken));
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new PostgresTarget(admin, name, builder.ConnectionString);
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // WITH (FORCE) cannot end an autovacuum worker for a non-superuser, and one often starts on a freshly loaded table: retry.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_admin);
                await connection.OpenAsync();
                await connection.ExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
                Console.WriteLine($"dropped database {Name}");
                return;
            }
            catch (NpgsqlException e) when (attempt < 20)
            {
                Console.WriteLine($"could not drop database {Name} yet ({e.Message.Trim()}); retrying");
                await Task.Delay(1000);
            }
            catch (NpgsqlException e)
            {
                Console.Error.WriteLine($"could not drop database {Name}: {e.Message}; drop it by hand");
                return;
            }
        }
    }
}
