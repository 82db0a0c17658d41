using System.Data.Common;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OpenData.Bench;

/// <summary>
/// The baseline of the records scenario: one hand-written Minimal API route that runs the platform's SQL against the
/// version table with Dapper and writes the same JSON shape. No catalogue lookups, no query language, no view, no auth.
/// </summary>
internal static class BareServer
{
    private static readonly string[] FilterableColumns = ["c0", "c1", "c2", "c3", "c4", "c5"];

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            settings[args[i]] = args[i + 1];
        }
        var port = int.Parse(settings["--port"], CultureInfo.InvariantCulture);
        var provider = settings["--provider"];
        var connectionString = settings["--conn"];
        var table = settings["--table"];
        if (!table.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException("the table name must be a plain identifier");
        }

        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        await using var postgres = provider == "postgres" ? NpgsqlDataSource.Create(connectionString) : null;

        var app = builder.Build();
        app.MapGet("/ready", () => "ready");
        // The hello-world baseline for the platform's /healthz: the same JSON, no middleware.
        app.MapGet("/hello", () => TypedResults.Ok(new BareHealth("ok", null, null)));
        app.MapGet("/bare/records", async (string? col, string? value, long? after, int? limit, int? lookups, CancellationToken cancellationToken) =>
        {
            if (lookups == 1)
            {
                // Diagnostic only: the catalogue round trip the platform makes before its page query when its schema cache is cold
                // (DatasetDirectory.FindForReadAsync, on a pooled connection of its own), to show what that lookup costs.
                await CatalogueLookupsAsync(postgres, connectionString, cancellationToken);
            }
            var pageSize = limit ?? 100;
            var where = new List<string>();
            var parameters = new DynamicParameters();
            if (col is not null)
            {
                if (!FilterableColumns.Contains(col))
                {
                    return Results.BadRequest("unknown column");
                }
                where.Add($"{col} = @value");
                parameters.Add("value", value);
            }
            if (after is not null)
            {
                where.Add("_row > @after");
                parameters.Add("after", after.Value);
            }
            parameters.Add("limit", (long)pageSize + 1);
            var sql = "SELECT _row AS row_id, c0 AS code, c1 AS name, c2 AS street_code, c3 AS province_code, c4 AS city_code, c5 AS area_code"
                + $" FROM \"{table}\"" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY _row ASC LIMIT @limit";
            DbConnection connection = postgres is not null
                ? await postgres.OpenConnectionAsync(cancellationToken)
                : new SqliteConnection(connectionString);
            await using (connection)
            {
                if (connection.State != System.Data.ConnectionState.Open)
                {
                    await connection.OpenAsync(cancellationToken);
                }
                var rows = (await connection.QueryAsync<BareVillage>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
                string? next = null;
                if (rows.Count > pageSize)
                {
                    next = rows[pageSize - 1].RowId.ToString(CultureInfo.InvariantCulture);
                    rows.RemoveAt(pageSize);
                }
                return Results.Ok(new BarePage(rows, next));
            }
        });
        // The baseline of the aggregate scenario: the same GROUP BY straight on the version's table, answered as JSON groups.
        app.MapGet("/bare/aggregate", async (CancellationToken cancellationToken) =>
        {
            var sql = $"SELECT c3 AS province_code, c4 AS city_code, COUNT(*) AS count FROM \"{table}\" GROUP BY c3, c4 ORDER BY c3 ASC NULLS FIRST, c4 ASC NULLS FIRST LIMIT 10001";
            DbConnection connection = postgres is not null
                ? await postgres.OpenConnectionAsync(cancellationToken)
                : new SqliteConnection(connectionString);
            await using (connection)
            {
                if (connection.State != System.Data.ConnectionState.Open)
                {
                    await connection.OpenAsync(cancellationToken);
                }
                var groups = (await connection.QueryAsync<BareGroup>(new CommandDefinition(sql, cancellationToken: cancellationToken))).AsList();
                return Results.Ok(new BareGroups(groups));
            }
        });
        await app.RunAsync();
        return 0;
    }

    private static async Task CatalogueLookupsAsync(NpgsqlDataSource? postgres, string connectionString, CancellationToken cancellationToken)
    {
        DbConnection connection = postgres is not null ? await postgres.OpenConnectionAsync(cancellationToken) : new SqliteConnection(connectionString);
        await using (connection)
        {
            if (connection.State != System.Data.ConnectionState.Open)
            {
                await connection.OpenAsync(cancellationToken);
            }
            await connection.QueryAsync(new CommandDefinition(CatalogueLookupSql, new { id = "villages" }, cancellationToken: cancellationToken));
        }
    }

    /// <summary>The platform's read-path lookup (DatasetDirectory.FindForReadAsync): schema and current version table in one query.</summary>
    private const string CatalogueLookupSql = """
        SELECT d.key, d.id, d.owner_id, d.title, d.description, d.theme_id, d.classification, d.license, d.update_frequency,
               d.current_version, d.row_count, d.created_at, d.updated_at,
               v.table_name AS version_table, v.row_count AS version_rows,
               c.position AS column_position, c.name AS column_name, c.type AS column_type, c.title AS column_title,
               c.description AS column_description, c.tag AS column_tag
        FROM datasets d
        LEFT JOIN dataset_versions v ON v.dataset_key = d.key AND v.version = d.current_version AND v.status = 'published'
        LEFT JOIN dataset_columns c ON c.dataset_key = d.key
        WHERE d.id = @id
        ORDER BY c.position
        """;
}

/// <summary>The hello-world answer, shaped as the platform's /healthz.</summary>
public sealed record BareHealth(string Status, string? Database, int? Migration);

/// <summary>A village as the bare endpoint reads it with Dapper.</summary>
public sealed class BareVillage
{
    [JsonIgnore]
    public long RowId { get; set; }

    public string? Code { get; set; }

    public string? Name { get; set; }

    public string? StreetCode { get; set; }

    public string? ProvinceCode { get; set; }

    public string? CityCode { get; set; }

    public string? AreaCode { get; set; }
}

/// <summary>The bare endpoint's page, the same shape as the platform's.</summary>
public sealed record BarePage(IReadOnlyList<BareVillage> Items, string? Next);

/// <summary>One group of the bare GROUP BY: a province, a city and how many villages.</summary>
public sealed class BareGroup
{
    public string? ProvinceCode { get; set; }

    public string? CityCode { get; set; }

    public long Count { get; set; }
}

/// <summary>The bare aggregate's answer, the same shape as the platform's groups.</summary>
public sealed record BareGroups(IReadOnlyList<BareGroup> Groups);
