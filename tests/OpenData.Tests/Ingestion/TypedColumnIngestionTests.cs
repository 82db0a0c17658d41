using System.Text.Json;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Ingestion;

/// <summary>Each column type is checked on the way in and comes back as the matching JSON type.</summary>
public sealed class TypedColumnIngestionTests
{
    private const string Owner = "ningbo-ecology-environment";
    private const string Header = "n,d,b,day,at,s\n";

    private static async Task<(PlatformHost Host, HttpClient Owner)> StartAsync(string db)
    {
        var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);
        await host.CreateDatasetAsync(owner, "typed", "open",
            ("n", "integer"), ("d", "decimal"), ("b", "boolean"), ("day", "date"), ("at", "datetime"), ("s", "string"));
        return (host, owner);
    }

    private static void AssertCell(JsonNode row, string column, JsonValueKind kind, string rawJson)
    {
        var cell = row[column];
        var actualKind = cell?.GetValueKind() ?? JsonValueKind.Null;
        Assert.True(kind == actualKind, $"{column}: expected {kind}, got {actualKind} in {row.ToJsonString()}");
        Assert.Equal(rawJson, cell?.ToJsonString() ?? "null");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Typed_values_load_and_come_back_as_json_types(string db)
    {
        var (host, owner) = await StartAsync(db);
        await using var _ = host;
        var csv = Header +
                  "1,3.25,true,2024-05-01,2024-05-01T08:30:00+08:00,hello\n" +
                  "-42,0.5,false,2024/12/31,2024-12-31T23:59:59Z,你好\n" +
                  "9223372036854775807,-1234.5,是,20240229,2024-02-29T12:00:00.25Z,x\n" +
                  "0,0,否,2024-1-2,2024-01-02T03:04:05+00:00,y\n" +
                  " 7 ,1e3,1,2000-01-01,2000-01-01T00:00:00Z,z\n" +
                  ",,,,,\n";

        var job = await host.UploadAsync(owner, "typed", csv);

        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        var (_, rows) = await DatasetSnapshot.ReadAllRowsAsync(host.Anonymous(), "typed");
        Assert.Equal(6, rows.Count);

        AssertCell(rows[0]!, "n", JsonValueKind.Number, "1");
        AssertCell(rows[0]!, "d", JsonValueKind.Number, "3.25");
        AssertCell(rows[0]!, "b", JsonValueKind.True, "true");
        AssertCell(rows[0]!, "day", JsonValueKind.String, "\"2024-05-01\"");
        AssertCell(rows[0]!, "at", JsonValueKind.String, "\"2024-05-01T00:30:00Z\"");
        AssertCell(rows[0]!, "s", JsonValueKind.String, "\"hello\"");

        AssertCell(rows[1]!, "n", JsonValueKind.Number, "-42");
        AssertCell(rows[1]!, "d", JsonValueKind.Number, "0.5");
        AssertCell(rows[1]!, "b", JsonValueKind.False, "false");
        AssertCell(rows[1]!, "day", JsonValueKind.String, "\"2024-12-31\"");
        AssertCell(rows[1]!, "at", JsonValueKind.String, "\"2024-12-31T23:59:59Z\"");
        Assert.Equal("你好", rows[1]!["s"]!.GetValue<string>());

        AssertCell(rows[2]!, "n", JsonValueKind.Number, "9223372036854775807");
        AssertCell(rows[2]!, "d", JsonValueKind.Number, "-1234.5");
        AssertCell(rows[2]!, "b", JsonValueKind.True, "true");
        AssertCell(rows[2]!, "day", JsonValueKind.String, "\"2024-02-29\"");
        AssertCell(rows[2]!, "at", JsonValueKind.String, "\"2024-02-29T12:00:00.25Z\"");

        AssertCell(rows[3]!, "n", JsonValueKind.Number, "0");
        Assert.Equal(0m, rows[3]!["d"]!.GetValue<decimal>());
        AssertCell(rows[3]!, "b", JsonValueKind.False, "false");
        AssertCell(rows[3]!, "day", JsonValueKind.String, "\"2024-01-02\"");
        AssertCell(rows[3]!, "at", JsonValueKind.String, "\"2024-01-02T03:04:05Z\"");

        AssertCell(rows[4]!, "n", JsonValueKind.Number, "7");
        Assert.Equal(1000m, rows[4]!["d"]!.GetValue<decimal>());
        AssertCell(rows[4]!, "b", JsonValueKind.True, "true");

        foreach (var column in new[] { "n", "d", "b", "day", "at", "s" })
        {
            AssertCell(rows[5]!, column, JsonValueKind.Null, "null");
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Typed_columns_can_be_filtered_and_sorted_after_loading(string db)
    {
        var (host, owner) = await StartAsync(db);
        await using var _ = host;
        var csv = Header +
                  "1,1.5,true,2024-05-01,2024-05-01T00:00:00Z,a\n" +
                  "2,2.5,false,2024-05-02,2024-05-02T00:00:00Z,b\n" +
                  "3,3.5,true,2024-05-03,2024-05-03T00:00:00Z,c\n";
        var job = await host.UploadAsync(owner, "typed", csv);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());

        var where = Uri.EscapeDataString("b = true and day >= date'2024-05-02' and d > 2");
        var page = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/typed/records?where={where}&order_by=n%20desc"));

        var items = page["items"]!.AsArray();
        Assert.Single(items);
        Assert.Equal(3, items[0]!["n"]!.GetValue<long>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Invalid_values_are_rejected_naming_row_and_column(string db)
    {
        var (host, owner) = await StartAsync(db);
        await using var _ = host;
        var first = await host.UploadAsync(owner, "typed", Header + "1,1.5,true,2024-05-01,2024-05-01T00:00:00Z,keep\n");
        Assert.True(first.GetProperty("status").GetString() == "succeeded", first.ToString());
        var before = await DatasetSnapshot.TakeAsync(host.Anonymous(), "typed");

        var csv = Header +
                  "1,1,true,2024-05-01,2024-05-01T00:00:00Z,ok\n" +       // row 1: fine
                  "12.5,1,true,2024-05-01,2024-05-01T00:00:00Z,ok\n" +    // row 2: integer with decimals
                  "1,1.2.3,true,2024-05-01,2024-05-01T00:00:00Z,ok\n" +   // row 3: not a decimal
                  "1,1,maybe,2024-05-01,2024-05-01T00:00:00Z,ok\n" +      // row 4: not a boolean
                  "1,1,true,2024-02-30,2024-05-01T00:00:00Z,ok\n" +       // row 5: no such date
                  "1,1,true,2024-05-01,yesterday,ok\n" +                  // row 6: not a datetime
                  "99999999999999999999,1,true,2024-05-01,2024-05-01T00:00:00Z,ok\n"; // row 7: integer overflow

        var job = await host.UploadAsync(owner, "typed", csv);

        Assert.True(job.GetProperty("status").GetString() == "failed", job.ToString());
        Assert.Equal(7, job.GetProperty("rowsRead").GetInt64());
        Assert.Equal(6, job.GetProperty("rowsRejected").GetInt64());
        var errors = job.GetProperty("errors").EnumerateArray()
            .Select(e => (Row: e.GetProperty("row").GetInt64(), Column: e.GetProperty("column").GetString(), Message: e.GetProperty("message").GetString()!))
            .ToList();
        (long Row, string Column, string Value)[] expected =
        [
            (2, "n", "12.5"), (3, "d", "1.2.3"), (4, "b", "maybe"), (5, "day", "2024-02-30"), (6, "at", "yesterday"), (7, "n", "99999999999999999999"),
        ];
        Assert.Equal(expected.Length, errors.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Row, errors[i].Row);
            Assert.Equal(expected[i].Column, errors[i].Column);
            Assert.Contains(expected[i].Value, errors[i].Message, StringComparison.Ordinal);
        }
        Assert.Equal(before, await DatasetSnapshot.TakeAsync(host.Anonymous(), "typed"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_string_column_keeps_values_that_look_like_numbers(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);
        await host.CreateDatasetAsync(owner, "codes", "open", ("code", "string"));

        var job = await host.UploadAsync(owner, "codes", "code\n007\n330203001001\n1e3\ntrue\n");

        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        var (_, rows) = await DatasetSnapshot.ReadAllRowsAsync(host.Anonymous(), "codes");
        Assert.Equal(["007", "330203001001", "1e3", "true"], rows.Select(r => r!["code"]!.GetValue<string>()).ToArray());
    }
}
