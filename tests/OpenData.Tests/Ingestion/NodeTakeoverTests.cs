using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using OpenData.Platform.Ingestion;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Ingestion;

/// <summary>Ingestion that no node owns: uploads staged where every node reaches them, jobs under a lease any node takes over.</summary>
public sealed class NodeTakeoverTests
{
    /// <summary>A short lease and a quick poll, so a takeover happens within seconds.</summary>
    private static readonly Dictionary<string, string?> Nodes = new()
    {
        ["OpenData:Ingestion:Lease"] = "00:00:03",
        ["OpenData:Ingestion:PollInterval"] = "00:00:00.200",
    };

    private static byte[] Csv(int rows, int from = 1)
    {
        var csv = new StringBuilder("n,label\n");
        for (var i = from; i < from + rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},row-{i}-of-a-file-staged-in-chunks\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>Posts an upload and answers the job's address, without waiting for the job.</summary>
    private static async Task<string> PostAsync(HttpClient owner, string datasetId, byte[] csv)
    {
        using var content = new ByteArrayContent(csv);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/csv");
        var response = await owner.PostAsync($"/v1/datasets/{datasetId}/versions", content);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return new Uri(response.Headers.Location!.ToString()).AbsolutePath;
    }

    private static async Task<long> ScalarAsync(PlatformHost host, string sql) =>
        Convert.ToInt64(await host.QueryScalarAsync(sql), CultureInfo.InvariantCulture);

    [DatabaseTheory, OnEachDatabase]
    public async Task A_job_whose_node_died_mid_load_is_finished_by_another_node_with_the_next_version_number(string db)
    {
        await using var a = await PlatformHost.StartAsync(db, Nodes);
        var owner = a.Owner();
        await a.CreateDatasetAsync(owner, "takeover", "open", ("n", "integer"), ("label", "string"));
        Assert.Equal("succeeded", (await a.UploadAsync(owner, "takeover", Csv(3))).GetProperty("status").GetString());
        var key = await ScalarAsync(a, "SELECT key FROM datasets WHERE id = 'takeover'");

        // Node A takes the upload (staged in the store, in several chunks) and dies after 8,192 rows, mid-load: its half-loaded
        // version stays 'loading', its job 'running' under a lease nobody renews.
        var service = a.Required<IngestionService>();
        service.HaltAfterRows = 8192;
        var rows = 100_000;
        var csv = Csv(rows);
        Assert.True(csv.Length > 2 * IngestionService.StagingChunkBytes, "the upload spans several staged chunks");
        var location = await PostAsync(owner, "takeover", csv);
        var jobId = location[(location.LastIndexOf('/') + 1)..];
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (service.HaltAfterRows != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "node A never reached the row it dies at");
            await Task.Delay(20);
        }
        await a.StopNodeAsync();
        Assert.Equal("running", await a.QueryScalarAsync($"SELECT status FROM ingestion_jobs WHERE id = '{jobId}'"));
        Assert.Equal("loading", await a.QueryScalarAsync($"SELECT status FROM dataset_versions WHERE dataset_key = {key} AND version = 2"));
        if (db == Db.Postgres)
        {
            // PostgreSQL nodes share only the store: the upload is staged there.
            Assert.True(await ScalarAsync(a, $"SELECT COUNT(*) FROM ingestion_uploads WHERE job_id = '{jobId}'") >= 3, "the upload is staged in the store");
        }
        else
        {
            // SQLite nodes share the folder of the database file: the upload is staged there.
            Assert.True(File.Exists(Path.Combine(a.DataDirectory, "uploads", jobId + ".csv")), "the upload is staged beside the SQLite file");
        }

        // Node B, on the same store, takes the job over once A's lease ran out, drops the dead attempt and loads the staged upload.
        await using var b = await a.StartPeerAsync();
        var onB = b.Owner();
        var job = await PlatformHost.WaitForJobAsync(onB, location);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        Assert.Equal(2, job.GetProperty("version").GetInt32());
        Assert.Equal(rows, job.GetProperty("rowsRead").GetInt64());
        Assert.Equal(2L, await ScalarAsync(b, $"SELECT attempts FROM ingestion_jobs WHERE id = '{jobId}'"));

        // Contiguous versions, the whole file once, and nothing left staged.
        var detail = await PlatformHost.ReadJsonAsync(await b.Anonymous().GetAsync("/v1/datasets/takeover"));
        Assert.Equal([2, 1], detail["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()));
        Assert.Equal(2L, await ScalarAsync(b, $"SELECT COUNT(*) FROM dataset_versions WHERE dataset_key = {key}"));
        Assert.Equal(rows, await ScalarAsync(b, $"SELECT COUNT(*) FROM records_{key}_2"));
        Assert.Equal(rows, await ScalarAsync(b, $"SELECT COUNT(DISTINCT c0) FROM records_{key}_2"));
        Assert.Equal(0L, await ScalarAsync(b, "SELECT COUNT(*) FROM ingestion_uploads"));
        Assert.False(File.Exists(Path.Combine(a.DataDirectory, "uploads", jobId + ".csv")), "the staged file is deleted once the job ended");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_node_stopped_mid_load_hands_its_job_back_and_another_node_runs_it_without_waiting_for_the_lease(string db)
    {
        // Leases an hour long: only the hand-back explains node B taking the job within the test.
        await using var a = await PlatformHost.StartAsync(db, new Dictionary<string, string?>(Nodes) { ["OpenData:Ingestion:Lease"] = "01:00:00" });
        var owner = a.Owner();
        await a.CreateDatasetAsync(owner, "handed-back", "open", ("n", "integer"), ("label", "string"));
        var rows = 400_000;
        var location = await PostAsync(owner, "handed-back", Csv(rows));
        var jobId = location[(location.LastIndexOf('/') + 1)..];

        // Node A is loading (its live progress says so); it is stopped as a redeploy stops it.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var running = await owner.GetFromJsonAsync<System.Text.Json.JsonElement>(location);
            Assert.NotEqual("succeeded", running.GetProperty("status").GetString());
            if (running.GetProperty("status").GetString() == "running" && running.GetProperty("rowsRead").GetInt64() > 0)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "node A never started loading");
            await Task.Delay(10);
        }
        await a.StopNodeAsync();
        Assert.Equal("queued", await a.QueryScalarAsync($"SELECT status FROM ingestion_jobs WHERE id = '{jobId}'"));

        await using var b = await a.StartPeerAsync();
        var job = await PlatformHost.WaitForJobAsync(b.Owner(), location);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        Assert.Equal(1, job.GetProperty("version").GetInt32());
        Assert.Equal(rows, job.GetProperty("rowsRead").GetInt64());
        Assert.Equal(2L, await ScalarAsync(b, $"SELECT attempts FROM ingestion_jobs WHERE id = '{jobId}'"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Uploads_racing_on_two_nodes_publish_contiguous_versions_and_a_failed_one_gives_its_number_back(string db)
    {
        await using var a = await PlatformHost.StartAsync(db, Nodes);
        await using var b = await a.StartPeerAsync();
        var onA = a.Owner();
        var onB = b.Owner();
        await a.CreateDatasetAsync(onA, "racing", "open", ("n", "integer"), ("label", "string"));

        // Four uploads at once, two on each node; one of them has a row that is not an integer.
        var bad = Encoding.UTF8.GetBytes("n,label\n1,fine\nnot-a-number,broken\n");
        var posts = await Task.WhenAll(
            PostAsync(onA, "racing", Csv(2_000, 1)),
            PostAsync(onB, "racing", Csv(2_000, 10_001)),
            PostAsync(onA, "racing", bad),
            PostAsync(onB, "racing", Csv(2_000, 20_001)));

        // Each job's status answers the same through either node.
        var jobs = new List<System.Text.Json.JsonElement>();
        for (var i = 0; i < posts.Length; i++)
        {
            var job = await PlatformHost.WaitForJobAsync(i % 2 == 0 ? onB : onA, posts[i]);
            Assert.Equal(job.GetProperty("status").GetString(), (await PlatformHost.WaitForJobAsync(i % 2 == 0 ? onA : onB, posts[i])).GetProperty("status").GetString());
            jobs.Add(job);
        }
        Assert.Equal("failed", jobs[2].GetProperty("status").GetString());
        var published = jobs.Where(j => j.GetProperty("status").GetString() == "succeeded").Select(j => j.GetProperty("version").GetInt32()).Order().ToList();
        Assert.Equal([1, 2, 3], published);

        var detail = await PlatformHost.ReadJsonAsync(await b.Anonymous().GetAsync("/v1/datasets/racing"));
        Assert.Equal(3, detail["version"]!.GetValue<int>());
        var key = await ScalarAsync(a, "SELECT key FROM datasets WHERE id = 'racing'");
        Assert.Equal(3L, await ScalarAsync(a, $"SELECT COUNT(*) FROM dataset_versions WHERE dataset_key = {key}"));
        Assert.Equal(3L, await ScalarAsync(a, $"SELECT MAX(version) FROM dataset_versions WHERE dataset_key = {key}"));
        Assert.Equal(0L, await ScalarAsync(a, "SELECT COUNT(*) FROM ingestion_uploads"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task With_a_staging_folder_an_upload_is_staged_there_and_deleted_once_its_job_ended(string db)
    {
        var folder = Directory.CreateTempSubdirectory("opendata-staging-").FullName;
        try
        {
            await using var a = await PlatformHost.StartAsync(db, new Dictionary<string, string?>(Nodes) { ["OpenData:Ingestion:StagingPath"] = folder });
            var owner = a.Owner();
            await a.CreateDatasetAsync(owner, "staged-on-disk", "open", ("n", "integer"), ("label", "string"));
            var job = await a.UploadAsync(owner, "staged-on-disk", Csv(500));
            Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
            Assert.Equal(500, job.GetProperty("rowsRead").GetInt64());
            Assert.Empty(Directory.GetFiles(folder));
            Assert.Equal(0L, await ScalarAsync(a, "SELECT COUNT(*) FROM ingestion_uploads"));
            Assert.Equal(0L, await ScalarAsync(a, "SELECT COUNT(*) FROM ingestion_jobs WHERE staged_in_store = " + (db == Db.Postgres ? "true" : "1")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
