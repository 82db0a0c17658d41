using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Records;
using OpenData.Platform.Records.Query;
using OpenData.Platform.Storage;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Ingestion;

/// <summary>
/// Columns declared <c>indexed</c>: each load builds their indexes before publishing, on both stores; the SQL the read path
/// compiles for equality, ranges, <c>in</c> and prefix <c>like</c> is planned through them; the answers are the same as without.
/// </summary>
public sealed class IndexedColumnTests
{
    private const string Owner = "ningbo-civil-affairs";

    private static object Dataset(string id, params object[] columns) => new
    {
        id,
        title = $"Indexed {id}",
        description = "created by a test",
        theme = "public-services",
        classification = "open",
        license = "CC-BY-4.0",
        updateFrequency = "irregular",
        columns,
    };

    private static async Task CreateAsync(HttpClient owner, string id, bool indexed)
    {
        var body = Dataset(id,
            new { name = "code", type = "string", indexed },
            new { name = "n", type = "integer", indexed },
            new { name = "area", type = "string" },
            new { name = "label", type = "string" });
        var response = await owner.PostAsJsonAsync("/v1/datasets", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>3,000 rows: 300 codes of 10 rows each (and a few empty), n with 3 rows a value, 40 areas, long unique labels.</summary>
    private static string Rows()
    {
        var csv = new StringBuilder("code,n,area,label\n");
        for (var i = 0; i < 3000; i++)
        {
            var code = i % 97 == 0 ? "" : (330000 + (i * 7 % 300)).ToString(CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{code},{i % 1000},a{i % 40},a description long enough not to look like a code: number {i}\n");
        }
        return csv.ToString();
    }

    private static readonly string[] Filters =
    [
        "code = '330203'",
        "code >= '330200' and code < '330205'",
        "n between 3 and 5",
        "n >= 2.5 and n < 6",
        "code in ('330203', '330207', '330299')",
        "code like '33020%'",
    ];

    [DatabaseTheory, OnEachDatabase]
    public async Task Indexes_are_built_before_publishing_and_serve_equality_ranges_in_and_prefix_like(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);
        await CreateAsync(owner, "indexed", indexed: true);
        await CreateAsync(owner, "plain", indexed: false);

        var detail = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/indexed"));
        var declared = detail["columns"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["indexed"]!.GetValue<bool>());
        Assert.Equal(new Dictionary<string, bool> { ["code"] = true, ["n"] = true, ["area"] = false, ["label"] = false }, declared);

        var csv = Rows();
        var job = await host.UploadAsync(owner, "indexed", csv);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        Assert.Equal("succeeded", (await host.UploadAsync(owner, "plain", csv)).GetProperty("status").GetString());

        // The profiler suggests the unindexed code-like column, not the indexed ones nor long texts.
        var quality = job.GetProperty("quality").GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.True(quality["code"].GetProperty("indexed").GetBoolean());
        Assert.False(quality["code"].GetProperty("suggestIndex").GetBoolean());
        Assert.True(quality["area"].GetProperty("suggestIndex").GetBoolean(), quality["area"].ToString());
        Assert.False(quality["label"].GetProperty("suggestIndex").GetBoolean());

        var (schema, table) = await host.Required<DatasetDirectory>().FindForReadAsync("indexed", CancellationToken.None);
        Assert.NotNull(table);
        var code = schema!.FindColumn("code")!;
        var n = schema.FindColumn("n")!;
        var indexes = await IndexesAsync(host, db, table!.TableName);
        Assert.Contains(VersionStore.IndexName(table.TableName, code), indexes);
        Assert.Contains(VersionStore.IndexName(table.TableName, n), indexes);
        Assert.DoesNotContain(indexes, i => i.StartsWith(VersionStore.IndexName(table.TableName, schema.FindColumn("area")!), StringComparison.Ordinal));

        foreach (var filter in Filters)
        {
            var column = filter.StartsWith("code", StringComparison.Ordinal) ? code : n;
            var plan = await PlanAsync(host, db, schema, table, filter, []);
            AssertUsesIndex(db, plan, VersionStore.IndexName(table.TableName, column), filter);
        }
        // A keyset page deep into an order on an indexed column starts at its cursor in the index.
        var after = new RecordCursor(table.Version, new byte[RecordCursor.HashLength], ["330150"], 1500);
        var keyset = await PlanAsync(host, db, schema, table, null, [new OrderKey(code, false)], after);
        AssertUsesIndex(db, keyset, VersionStore.IndexName(table.TableName, code), "order_by=code after a cursor");

        var reader = host.Anonymous();
        foreach (var filter in Filters)
        {
            var indexed = await ReadAllAsync(reader, "indexed", filter, null);
            Assert.NotEmpty(indexed);
            Assert.Equal(await ReadAllAsync(reader, "plain", filter, null), indexed);
        }
        var walked = await ReadAllAsync(reader, "indexed", "code like '3302%' or code is null", "code");
        Assert.Equal(await ReadAllAsync(reader, "plain", "code like '3302%' or code is null", "code"), walked);
        Assert.True(walked.Count > 100, $"{walked.Count} rows");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_index_declared_later_is_built_by_the_next_load_and_a_bad_declaration_is_refused(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);

        var boolean = await ProblemAssert.IsProblemAsync(await owner.PostAsJsonAsync("/v1/datasets",
            Dataset("flags", new { name = "code", type = "string" }, new { name = "flag", type = "boolean", indexed = true })), HttpStatusCode.BadRequest, "request.validation");
        Assert.Contains("boolean", boolean["errors"]!["columns[1].indexed"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var many = Enumerable.Range(0, DatasetValidator.MaxIndexedColumns + 1).Select(i => (object)new { name = $"c{i}", type = "string", indexed = true }).ToArray();
        var tooMany = await ProblemAssert.IsProblemAsync(await owner.PostAsJsonAsync("/v1/datasets", Dataset("many", many)), HttpStatusCode.BadRequest, "request.validation");
        Assert.Contains($"at most {DatasetValidator.MaxIndexedColumns}", tooMany["errors"]!["columns"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        await host.CreateDatasetAsync(owner, "later", "open", ("code", "string"), ("flag", "boolean"), ("phone", "string"));
        Assert.Equal(HttpStatusCode.OK, (await owner.PatchAsJsonAsync("/v1/datasets/later/columns/phone", new { tag = "pii.phone" })).StatusCode);
        var csv = "code,flag,phone\n330203,true,13800000000\n330204,false,13900000000\n";
        Assert.Equal("succeeded", (await host.UploadAsync(owner, "later", csv)).GetProperty("status").GetString());
        var (_, first) = await host.Required<DatasetDirectory>().FindForReadAsync("later", CancellationToken.None);
        Assert.Empty(await IndexesAsync(host, db, first!.TableName));

        var refused = await ProblemAssert.IsProblemAsync(await owner.PatchAsJsonAsync("/v1/datasets/later/columns/flag", new { indexed = true }), HttpStatusCode.BadRequest, "request.validation");
        Assert.Contains("boolean", refused["errors"]!["indexed"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await owner.PatchAsJsonAsync("/v1/datasets/later/columns/nope", new { indexed = true }), HttpStatusCode.NotFound, "dataset.unknown_column");
        await ProblemAssert.IsProblemAsync(await host.Owner("ningbo-market-supervision").PatchAsJsonAsync("/v1/datasets/later/columns/code", new { indexed = true }),
            HttpStatusCode.NotFound, "dataset.not_found");

        // indexed alone leaves the tag as it is.
        var patched = await PlatformHost.ReadJsonAsync(await owner.PatchAsJsonAsync("/v1/datasets/later/columns/phone", new { indexed = true }));
        var phone = patched["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "phone")!;
        Assert.True(phone["indexed"]!.GetValue<bool>());
        Assert.Equal("pii.phone", phone["tag"]!.GetValue<string>());
        patched = await PlatformHost.ReadJsonAsync(await owner.PatchAsJsonAsync("/v1/datasets/later/columns/code", new { indexed = true }));
        Assert.True(patched["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "code")!["indexed"]!.GetValue<bool>());

        Assert.Equal("succeeded", (await host.UploadAsync(owner, "later", csv)).GetProperty("status").GetString());
        var (schema, second) = await host.Required<DatasetDirectory>().FindForReadAsync("later", CancellationToken.None);
        Assert.Equal(first.Version + 1, second!.Version);
        var indexes = await IndexesAsync(host, db, second.TableName);
        Assert.Contains(VersionStore.IndexName(second.TableName, schema!.FindColumn("code")!), indexes);
        Assert.Contains(VersionStore.IndexName(second.TableName, schema.FindColumn("phone")!), indexes);

        // And false stops it: the next version has none on that column.
        Assert.Equal(HttpStatusCode.OK, (await owner.PatchAsJsonAsync("/v1/datasets/later/columns/code", new { indexed = false })).StatusCode);
        Assert.Equal("succeeded", (await host.UploadAsync(owner, "later", csv)).GetProperty("status").GetString());
        var (_, third) = await host.Required<DatasetDirectory>().FindForReadAsync("later", CancellationToken.None);
        Assert.DoesNotContain(VersionStore.IndexName(third!.TableName, schema.FindColumn("code")!), await IndexesAsync(host, db, third.TableName));
    }

    [PostgresFact]
    public async Task An_index_that_cannot_be_built_fails_the_job_and_publishes_nothing()
    {
        await using var host = await PlatformHost.StartAsync(Db.Postgres);
        var owner = host.Owner(Owner);
        var response = await owner.PostAsJsonAsync("/v1/datasets", Dataset("blobs", new { name = "code", type = "string" }, new { name = "blob", type = "string", indexed = true }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        // A btree entry holds at most about 2,700 bytes; random text does not compress below that.
        var blob = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9000));

        var job = await host.UploadAsync(owner, "blobs", $"code,blob\n1,short\n2,{blob}\n");

        Assert.True(job.GetProperty("status").GetString() == "failed", job.ToString());
        Assert.Contains("index on column 'blob'", job.GetProperty("message").GetString(), StringComparison.Ordinal);
        var detail = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/blobs"));
        Assert.Null(detail["version"]);
        Assert.Empty(detail["versions"]!.AsArray());
        // The failed attempt gave its version number back (versions stay contiguous): no row of it is left, nor its table.
        Assert.Null(await host.QueryScalarAsync("SELECT v.status FROM dataset_versions v JOIN datasets d ON d.key = v.dataset_key WHERE d.id = 'blobs'"));
        Assert.Equal(0L, Convert.ToInt64(await host.QueryScalarAsync(
            "SELECT COUNT(*) FROM pg_tables t JOIN dataset_versions v ON v.table_name = t.tablename JOIN datasets d ON d.key = v.dataset_key WHERE d.id = 'blobs'"),
            CultureInfo.InvariantCulture));
    }

    private static async Task<List<string>> IndexesAsync(PlatformHost host, string db, string table)
    {
        await using var connection = await host.OpenStoreAsync();
        var sql = db == Db.Postgres
            ? "SELECT indexname FROM pg_indexes WHERE tablename = @table"
            : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = @table AND sql IS NOT NULL";
        var names = (await connection.QueryAsync<string>(sql, new { table })).ToList();
        // PostgreSQL's primary key is the row order, not an owner's index.
        return names.Where(n => !n.EndsWith("_pkey", StringComparison.Ordinal)).ToList();
    }

    /// <summary>The plan of the statement the read path compiles for <paramref name="where"/>, as the store explains it.</summary>
    private static async Task<string> PlanAsync(PlatformHost host, string db, DatasetSchema schema, DatasetVersionTable table, string? where,
        IReadOnlyList<OrderKey> order, RecordCursor? after = null)
    {
        Expr? filter = null;
        if (where is not null)
        {
            Assert.True(QueryParser.TryParseWhere(where, out filter, out var error), error?.Message);
        }
        var view = new CallerView(schema, DatasetAccess.Open, schema.Columns.Select(_ => ColumnVisibility.Clear).ToArray());
        var compiled = RecordSql.Compile(host.Required<Database>().Dialect, schema, view, table, schema.Columns, order, filter, after, RecordPlanner.DefaultLimit);
        Assert.Null(compiled.Refusal);
        await using var connection = await host.OpenStoreAsync();
        if (db == Db.Postgres)
        {
            // Few rows: make sure the planner says whether it can use the index, not whether a scan is cheaper at this size.
            await connection.ExecuteAsync("SET enable_seqscan = off");
        }
        var explain = (db == Db.Postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + compiled.Value!.Sql;
        await using var reader = await connection.ExecuteReaderAsync(explain, compiled.Value.Parameters);
        var plan = new StringBuilder();
        while (await reader.ReadAsync())
        {
            plan.AppendLine(reader.GetValue(reader.FieldCount - 1)?.ToString());
        }
        return plan.ToString();
    }

    private static void AssertUsesIndex(string db, string plan, string index, string what)
    {
        var uses = db == Db.Postgres
            ? (plan.Contains("Index Scan using " + index, StringComparison.Ordinal) || plan.Contains("Bitmap Index Scan on " + index, StringComparison.Ordinal)
               || plan.Contains("Index Only Scan using " + index, StringComparison.Ordinal))
            : (plan.Contains("USING INDEX " + index, StringComparison.Ordinal) || plan.Contains("USING COVERING INDEX " + index, StringComparison.Ordinal));
        Assert.True(uses, $"{what}: the plan does not use {index}:\n{plan}");
    }

    /// <summary>Every row the records route answers for a filter and order, page by page (37 rows a page, following the cursor).</summary>
    private static async Task<List<string>> ReadAllAsync(HttpClient reader, string dataset, string where, string? orderBy)
    {
        var rows = new List<string>();
        string? cursor = null;
        do
        {
            var url = $"/v1/datasets/{dataset}/records?limit=37&where={Uri.EscapeDataString(where)}"
                + (orderBy is null ? "" : "&order_by=" + Uri.EscapeDataString(orderBy))
                + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await PlatformHost.ReadJsonAsync(await reader.GetAsync(url));
            rows.AddRange(page["items"]!.AsArray().Select(i => i!.ToJsonString(new JsonSerializerOptions())));
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);
        return rows;
    }
}
