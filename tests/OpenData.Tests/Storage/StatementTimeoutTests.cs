using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Storage;

/// <summary>The attack: a query made expensive on purpose. The store stops it at the limit; the caller gets a coded answer, the worker is free.</summary>
public sealed class StatementTimeoutTests
{
    private const int Rows = 40_000;

    /// <summary>Rows of 300 letters from a to y: a pattern that ends in z scans every one of them to the end and never matches.</summary>
    private static byte[] Haystack()
    {
        var random = new Random(13);
        var csv = new StringBuilder("id,text\n");
        for (var i = 1; i <= Rows; i++)
        {
            csv.Append(i).Append(',');
            for (var j = 0; j < 300; j++)
            {
                csv.Append((char)('a' + random.Next(25)));
            }
            csv.Append('\n');
        }
        return Encoding.ASCII.GetBytes(csv.ToString());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_runaway_where_is_stopped_at_the_time_limit_with_a_coded_503_and_the_worker_serves_on(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, new Dictionary<string, string?> { ["OpenData:Database:StatementTimeoutSeconds"] = "0.2" });
        var owner = host.Owner();
        await host.CreateDatasetAsync(owner, "haystack", "open", ("id", "integer"), ("text", "string"));
        Assert.Equal("succeeded", (await host.UploadAsync(owner, "haystack", Haystack())).GetProperty("status").GetString());

        // A hundred patterns that each scan all 300 characters of all rows, sorted on an unindexed column: seconds of work per page.
        var where = string.Join(" or ", Enumerable.Range(0, 100).Select(i => $"text like '%{(char)('a' + i % 25)}%{(char)('a' + (i + 7) % 25)}%z%'"));
        var client = host.Anonymous();
        var started = Stopwatch.GetTimestamp();
        var response = await client.GetAsync($"/v1/datasets/haystack/records?order_by=text&where={Uri.EscapeDataString(where)}");
        var took = Stopwatch.GetElapsedTime(started);
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "query.timeout");
        Assert.Contains("0.2 s", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(5), $"the runaway query was answered after {took}");

        if (db == Db.Postgres)
        {
            // The server stopped working on it too (statement_timeout), not only the client waiting for it. (The sandbox's worker
            // may be reading the new version in row order for its twin meanwhile: that statement ends in ORDER BY _row alone.)
            var running = await host.QueryScalarAsync(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND query LIKE '%ORDER BY%' AND query NOT LIKE '%ORDER BY _row'");
            Assert.Equal(0L, Convert.ToInt64(running, CultureInfo.InvariantCulture));
        }

        // The limit is per statement a caller shaped: cheap reads go on answering, and an export streamed to a slow reader runs
        // longer than the limit and still arrives whole.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/datasets/haystack/records?limit=5")).StatusCode);
        using var export = await client.GetAsync("/v1/datasets/haystack/export?format=csv", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        await using var stream = await export.Content.ReadAsStreamAsync();
        var first = new byte[4096];
        var read = await stream.ReadAsync(first);
        await Task.Delay(TimeSpan.FromSeconds(0.6)); // a reader slower than the limit: the export's statement outlives it
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest);
        var text = Encoding.ASCII.GetString(first, 0, read) + Encoding.ASCII.GetString(rest.ToArray());
        Assert.Equal(Rows + 1, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
