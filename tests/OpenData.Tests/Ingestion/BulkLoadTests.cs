using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Ingestion;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Ingestion;

/// <summary>
/// The bulk load's fast path (SQLite's own INSERT bound cell by cell, a repeated text handed on as the same string, the
/// profiler on its own thread) stores and reports exactly what a row-by-row load would, and still abandons what it cannot finish.
/// </summary>
public sealed class BulkLoadTests
{
    private const string Owner = "ningbo-ecology-environment";
    private const int Rows = 5_000;

    private static string Awkward(int row) => (row % 7) switch
    {
        0 => "say \"hi\", then \"bye\"",
        1 => "two\nlines, 第二行",
        2 => "宁波市海曙区",
        3 => "😀 emoji and 𝟏 outside the BMP",
        4 => row % 70 == 4 ? new string('长', 3_000 + row % 5) : "长",
        5 => "宁波市海曙区",
        _ => "",
    };

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [DatabaseTheory, OnEachDatabase]
    public async Task Every_type_and_awkward_texts_read_back_exactly_across_batches(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);
        await host.CreateDatasetAsync(owner, "bulk", "open",
            ("s", "string"), ("code", "string"), ("n", "integer"), ("d", "decimal"), ("b", "boolean"), ("day", "date"), ("at", "datetime"));
        var csv = new StringBuilder("s,code,n,d,b,day,at\n");
        for (var i = 0; i < Rows; i++)
        {
            // Codes repeat in runs (the loader hands a repeated text on as the same string), with an empty cell inside a run.
            var code = i % 50 == 25 ? "" : (330203001 + i / 100).ToString(CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture,
                $"{Quote(Awkward(i))},{code},{(i % 11 == 0 ? "" : (i - 2_500L) * 1_000_003L)},{(i % 13 == 0 ? "" : (i / 4m).ToString(CultureInfo.InvariantCulture))}," +
                $"{(i % 3 == 0 ? "" : i % 2 == 0 ? "true" : "false")},{(i % 17 == 0 ? "" : new DateOnly(2024, 1, 1).AddDays(i % 400).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}," +
                $"{(i % 19 == 0 ? "" : new DateTime(2024, 5, 1, 8, 30, 0, DateTimeKind.Utc).AddSeconds(i * 61).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))}\n");
        }

        var job = await host.UploadAsync(owner, "bulk", csv.ToString());

        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        var (_, rows) = await DatasetSnapshot.ReadAllRowsAsync(host.Anonymous(), "bulk");
        Assert.Equal(Rows, rows.Count);
        for (var i = 0; i < Rows; i++)
        {
            var row = rows[i]!;
            var text = Awkward(i);
            Assert.True((text.Length == 0 ? null : text) == row["s"]?.GetValue<string>(), $"row {i + 1}: s is {row["s"]?.ToJsonString()}");
            Assert.Equal(i % 50 == 25 ? null : (330203001 + i / 100).ToString(CultureInfo.InvariantCulture), row["code"]?.GetValue<string>());
            Assert.Equal(i % 11 == 0 ? null : (i - 2_500L) * 1_000_003L, row["n"]?.GetValue<long>());
            Assert.Equal(i % 13 == 0 ? null : i / 4m, row["d"]?.GetValue<decimal>());
            Assert.Equal(i % 3 == 0 ? null : i % 2 == 0, row["b"]?.GetValue<bool>());
            Assert.Equal(i % 17 == 0 ? null : new DateOnly(2024, 1, 1).AddDays(i % 400).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), row["day"]?.GetValue<string>());
            Assert.Equal(i % 19 == 0 ? null : new DateTime(2024, 5, 1, 8, 30, 0, DateTimeKind.Utc).AddSeconds(i * 61).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                row["at"]?.GetValue<string>());
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Repeated_texts_are_counted_once_per_row_in_the_quality_report_and_the_suggestions(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);
        await host.CreateDatasetAsync(owner, "repeats", "open", ("area", "string"), ("contact", "string"));
        // The same phone in every row, one area repeated in runs around an empty cell: 7 rows, 5 non-empty areas.
        var csv = "area,contact\n" +
                  "海曙区,13812345678\n海曙区,13812345678\n,13812345678\n海曙区,13812345678\n" +
                  "鄞州区,13812345678\n鄞州区,13812345678\n海曙区,13812345678\n";

        var job = await host.UploadAsync(owner, "repeats", csv);

        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        var quality = job.GetProperty("quality").GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(1, quality["area"].GetProperty("empty").GetInt64());
        Assert.Equal(2, quality["area"].GetProperty("distinct").GetInt64());
        Assert.True(quality["area"].GetProperty("distinctExact").GetBoolean());
        Assert.Equal(3, quality["area"].GetProperty("shortestLength").GetInt32());
        Assert.Equal(1, quality["contact"].GetProperty("distinct").GetInt64());
        Assert.Equal(11, quality["contact"].GetProperty("longestLength").GetInt32());
        Assert.Contains("pii.phone", quality["contact"].GetProperty("suggested").EnumerateArray().Select(t => t.GetString()));
        var detail = await PlatformHost.ReadJsonAsync(await host.As("platform", "platform:admin").GetAsync("/v1/datasets/repeats"));
        var phone = detail["suggestedTags"]!.AsArray().Single(s => s!["column"]!.GetValue<string>() == "contact" && s["tag"]!.GetValue<string>() == "pii.phone")!;
        // Every one of the seven cells was sampled, the repeated ones too.
        Assert.Equal(7, phone["sampled"]!.GetValue<int>());
        Assert.Equal(1.0, phone["share"]!.GetValue<double>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_load_failing_after_many_batches_publishes_nothing_and_still_reports_what_its_good_rows_suggest(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);
        await host.CreateDatasetAsync(owner, "late", "open", ("n", "integer"), ("contact", "string"));
        var csv = new StringBuilder("n,contact\n");
        for (var i = 1; i <= Rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{(i == Rows ? "not a number" : i.ToString(CultureInfo.InvariantCulture))},1381234{i % 10_000:D4}\n");
        }

        var job = await host.UploadAsync(owner, "late", csv.ToString());

        Assert.True(job.GetProperty("status").GetString() == "failed", job.ToString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("version").ValueKind);
        Assert.Equal(1, job.GetProperty("rowsRejected").GetInt64());
        var contact = job.GetProperty("quality").GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "contact");
        Assert.Contains("pii.phone", contact.GetProperty("suggested").EnumerateArray().Select(t => t.GetString()));
        var snapshot = await DatasetSnapshot.TakeAsync(host.Anonymous(), "late");
        Assert.Null(snapshot.Version);
        Assert.Equal(0, snapshot.RowCount);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_cancelled_load_is_abandoned_and_the_next_one_takes_its_version_number(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);
        await host.CreateDatasetAsync(owner, "stopped", "open", ("n", "integer"), ("s", "string"));
        var csv = new StringBuilder("n,s\n");
        for (var i = 1; i <= 50_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},row {i}\n");
        }
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        var dataset = await host.Required<DatasetDirectory>().FindAsync("stopped", CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        // Cancelled once half the file has been read: well inside the load, with batches queued for the database.
        await using var source = new CancellingStream(bytes, bytes.Length / 2, cancel);

        var loader = host.Required<CsvLoader>();
        Assert.ThrowsAny<OperationCanceledException>(() => loader.Load(dataset!, source, new UTF8Encoding(false), new IngestionProgress(), cancel.Token));

        var snapshot = await DatasetSnapshot.TakeAsync(host.Anonymous(), "stopped");
        Assert.Null(snapshot.Version);
        Assert.Equal(0, snapshot.RowCount);
        var job = await host.UploadAsync(owner, "stopped", "n,s\n1,one\n");
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        Assert.Equal(1, job.GetProperty("version").GetInt32());
    }

    /// <summary>Reads a file and cancels a token once the reader has passed a given byte.</summary>
    private sealed class CancellingStream(byte[] bytes, int cancelAt, CancellationTokenSource cancel) : MemoryStream(bytes, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= cancelAt)
            {
                cancel.Cancel();
            }
            return base.Read(buffer, offset, Math.Min(count, 4096));
        }

        public override int Read(Span<byte> buffer)
        {
            if (Position >= cancelAt)
            {
                cancel.Cancel();
            }
            return base.Read(buffer[..Math.Min(buffer.Length, 4096)]);
        }
    }
}
