using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Storage;

/// <summary>The fault: the SQLite store's disk fills up. Writes fail with a clear, coded error; what was stored stays intact and served.</summary>
public sealed class FullDiskTests
{
    private static byte[] Csv(int first, int rows, int width)
    {
        var csv = new StringBuilder("id,text\n");
        for (var i = first; i < first + rows; i++)
        {
            csv.Append(i).Append(',').Append(i.ToString(CultureInfo.InvariantCulture).PadLeft(width, 'x')).Append('\n');
        }
        return Encoding.ASCII.GetBytes(csv.ToString());
    }

    private static async Task<HttpResponseMessage> PostCsvAsync(HttpClient owner, byte[] csv)
    {
        using var content = new ByteArrayContent(csv);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/csv");
        return await owner.PostAsync("/v1/datasets/filling/versions", content);
    }

    [TmpfsFact]
    public async Task A_full_disk_fails_the_write_with_a_coded_error_and_leaves_the_published_data_intact()
    {
        using var disk = Tmpfs.Mount(16 * 1024 * 1024);
        await using var host = await PlatformHost.StartAsync(Db.Sqlite, new Dictionary<string, string?>
        {
            ["OpenData:Database:DataDirectory"] = disk.Path,
        });
        var owner = host.Owner();
        await host.CreateDatasetAsync(owner, "filling", "open", ("id", "integer"), ("text", "string"));
        Assert.Equal("succeeded", (await host.UploadAsync(owner, "filling", Csv(1, 100, 20))).GetProperty("status").GetString());

        // An upload whose spool fits on the disk but whose rows do not: SQLite runs out of room while loading (SQLITE_FULL).
        var free = disk.FreeBytes;
        var big = Csv(1, (int)(free * 0.6 / 210), 200);
        var job = await host.UploadAsync(owner, "filling", big);
        Assert.True(job.GetProperty("status").GetString() == "failed", job.ToString());
        Assert.Contains("storage is full", job.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Nothing was published, the first version is still served whole, and the file is sound.
        var reader = host.Anonymous();
        var detail = await PlatformHost.ReadJsonAsync(await reader.GetAsync("/v1/datasets/filling"));
        Assert.Equal(1, detail["version"]!.GetValue<int>());
        Assert.Equal(100, (await PlatformHost.ReadJsonAsync(await reader.GetAsync("/v1/datasets/filling/records?limit=1000")))["items"]!.AsArray().Count);
        Assert.Equal("ok", await host.QueryScalarAsync("PRAGMA integrity_check"));

        // With the disk filled to the last byte, an upload is refused at once with 507 storage.full, not a 500.
        var ballast = Path.Combine(disk.Path, "ballast");
        await using (var fill = File.Create(ballast))
        {
            var chunk = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    await fill.WriteAsync(chunk);
                    await fill.FlushAsync();
                }
            }
            catch (IOException)
            {
            }
        }
        await ProblemAssert.IsProblemAsync(await PostCsvAsync(owner, Csv(1, 2000, 200)), HttpStatusCode.InsufficientStorage, "storage.full");
        Assert.Equal(100, (await PlatformHost.ReadJsonAsync(await reader.GetAsync("/v1/datasets/filling/records?limit=1000")))["items"]!.AsArray().Count);

        // Once space is freed the platform goes on without a restart: the next upload is published.
        File.Delete(ballast);
        var again = await host.UploadAsync(owner, "filling", Csv(1, 300, 20));
        Assert.True(again.GetProperty("status").GetString() == "succeeded", again.ToString());
        Assert.Equal(300, (await PlatformHost.ReadJsonAsync(await reader.GetAsync("/v1/datasets/filling/records?limit=1000")))["items"]!.AsArray().Count);
        Assert.Equal("ok", await host.QueryScalarAsync("PRAGMA integrity_check"));
    }
}
