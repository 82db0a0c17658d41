using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Ingestion;

/// <summary>Uploads in GB18030, the encoding many Chinese government systems and Excel still export.</summary>
public sealed class Gb18030IngestionTests
{
    private const string Owner = "ningbo-civil-affairs";

    // GBK text, a CJK Extension A character (䶮) and Extension B characters (𠀀, 𡈽) that only GB18030's four-byte sequences carry.
    private static readonly string[][] Rows =
    [
        ["330203001", "宁波市海曙区鼓楼街道", "中文测试"],
        ["330205002", "䶮𠀀〇", "含逗号，和“引号”"],
        ["330211003", "镇海区招宝山街道", "生僻字：𡈽"],
    ];

    private static Encoding Gb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }

    private static byte[] Csv() =>
        Gb18030().GetBytes("编码,名称,备注\n" + string.Concat(Rows.Select(r => string.Join(',', r) + "\n")));

    private static async Task<(PlatformHost Host, HttpClient Owner)> StartAsync(string db)
    {
        var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);
        await host.CreateDatasetAsync(owner, "gb-villages", "open", ("编码", "string"), ("名称", "string"), ("备注", "string"));
        return (host, owner);
    }

    private static async Task AssertRowsReadBackAsync(PlatformHost host, string expectedVersion)
    {
        var (served, rows) = await DatasetSnapshot.ReadAllRowsAsync(host.Anonymous(), "gb-villages");
        Assert.Equal(expectedVersion, served);
        Assert.Equal(Rows.Length, rows.Count);
        for (var i = 0; i < Rows.Length; i++)
        {
            Assert.Equal(Rows[i][0], rows[i]!["编码"]!.GetValue<string>());
            Assert.Equal(Rows[i][1], rows[i]!["名称"]!.GetValue<string>());
            Assert.Equal(Rows[i][2], rows[i]!["备注"]!.GetValue<string>());
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Gb18030_named_in_the_content_type_reads_back_as_the_same_text(string db)
    {
        var (host, owner) = await StartAsync(db);
        await using var _ = host;

        var job = await host.UploadAsync(owner, "gb-villages", Csv(), "text/csv; charset=gb18030");

        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        Assert.Equal("gb18030", job.GetProperty("charset").GetString());
        Assert.Equal(Rows.Length, job.GetProperty("rowsRead").GetInt64());
        await AssertRowsReadBackAsync(host, "1");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Gb18030_named_in_the_query_reads_back_as_the_same_text(string db)
    {
        var (host, owner) = await StartAsync(db);
        await using var _ = host;

        using var content = new ByteArrayContent(Csv());
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var response = await owner.PostAsync("/v1/datasets/gb-villages/versions?charset=gb18030", content);
        await PlatformHost.ReadJsonAsync(response, HttpStatusCode.Accepted);
        var job = await PlatformHost.WaitForJobAsync(owner, response.Headers.Location!.ToString());

        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        Assert.Equal("gb18030", job.GetProperty("charset").GetString());
        await AssertRowsReadBackAsync(host, "1");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Gb18030_bytes_sent_as_utf8_fail_with_a_hint_to_use_gb18030(string db)
    {
        var (host, owner) = await StartAsync(db);
        await using var _ = host;
        var first = await host.UploadAsync(owner, "gb-villages", Csv(), "text/csv; charset=gb18030");
        Assert.True(first.GetProperty("status").GetString() == "succeeded", first.ToString());
        var before = await DatasetSnapshot.TakeAsync(host.Anonymous(), "gb-villages");

        foreach (var contentType in new[] { "text/csv", "text/csv; charset=utf-8" })
        {
            var job = await host.UploadAsync(owner, "gb-villages", Csv(), contentType);

            Assert.True(job.GetProperty("status").GetString() == "failed", job.ToString());
            Assert.Contains("gb18030", job.GetProperty("message").GetString()!, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(before, await DatasetSnapshot.TakeAsync(host.Anonymous(), "gb-villages"));
        }
        await AssertRowsReadBackAsync(host, "1");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Gbk_is_read_as_gb18030(string db)
    {
        var (host, owner) = await StartAsync(db);
        await using var _ = host;

        var job = await host.UploadAsync(owner, "gb-villages", Csv(), "text/csv; charset=GBK");

        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        Assert.Equal("gb18030", job.GetProperty("charset").GetString());
        await AssertRowsReadBackAsync(host, "1");
    }
}
