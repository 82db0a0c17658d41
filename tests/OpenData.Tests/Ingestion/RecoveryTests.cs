using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Ingestion;

public sealed class RecoveryTests
{
    [DatabaseTheory, OnEachDatabase]
    public async Task After_a_crash_a_half_loaded_version_is_dropped_and_an_unfinished_job_runs_again(string db)
    {
        var first = await PlatformHost.StartAsync(db);
        var owner = first.Owner();
        await first.CreateDatasetAsync(owner, "resumable", "open", ("n", "integer"));
        Assert.Equal("succeeded", (await first.UploadAsync(owner, "resumable", "n\n1\n2\n")).GetProperty("status").GetString());
        var jobId = Guid.NewGuid().ToString("N");
        var spool = Path.Combine(first.DataDirectory, "uploads", jobId + ".csv");

        // While the host is down: the state a crash leaves mid-load (a version 'loading' with a half-filled table)
        // and a job that was running, its spooled upload still on disk. The seed made datasets 1–4, so this one is 5.
        await using var host = await first.RestartAsync(async () =>
        {
            await first.ExecuteSqlAsync("CREATE TABLE records_5_2 (_row bigint, c0 bigint)");
            await first.ExecuteSqlAsync("INSERT INTO records_5_2 VALUES (1, 666)");
            await first.ExecuteSqlAsync("INSERT INTO dataset_versions (dataset_key, version, table_name, status, row_count, created_at) VALUES (5, 2, 'records_5_2', 'loading', 0, '2026-01-01T00:00:00.0000000Z')");
            Directory.CreateDirectory(Path.GetDirectoryName(spool)!);
            await File.WriteAllTextAsync(spool, "n\n7\n8\n9\n");
            await first.ExecuteSqlAsync($"INSERT INTO ingestion_jobs (id, dataset_key, dataset_id, owner_id, status, charset, spool_path, bytes_total, created_at) VALUES ('{jobId}', 5, 'resumable', 'ningbo-civil-affairs', 'running', 'utf-8', '{spool}', 10, '2026-01-01T00:00:00.0000000Z')");
        });

        var job = await PlatformHost.WaitForJobAsync(host.Owner(), $"/v1/ingestions/{jobId}");
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        // The dead attempt's number is given back: the job publishes version 2, and the versions stay contiguous.
        Assert.Equal(2, job.GetProperty("version").GetInt32());
        Assert.False(File.Exists(spool), "the spool file is removed once the job ended");

        var page = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/resumable/records"));
        Assert.Equal([7L, 8, 9], page["items"]!.AsArray().Select(i => i!["n"]!.GetValue<long>()));
        var detail = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/resumable"));
        Assert.Equal([2, 1], detail["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()));
        // The half-loaded rows are gone: the table of version 2 holds exactly the three rows of the job.
        Assert.Equal(3L, Convert.ToInt64(await host.QueryScalarAsync("SELECT COUNT(*) FROM records_5_2"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(await host.QueryScalarAsync("SELECT COUNT(*) FROM records_5_2 WHERE c0 = 666"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
