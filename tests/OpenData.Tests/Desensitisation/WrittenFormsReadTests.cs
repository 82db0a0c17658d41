using OpenData.Platform.Desensitisation;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Desensitisation;

/// <summary>
/// Items 3, 5 and 6 of the protection issue over HTTP, as an anonymous caller reads an open dataset: numbers written the way
/// people write them in free text leave masked, addresses keep nothing below the district (the city when no district is
/// known), and masks have one shape whatever the value's length.
/// </summary>
public sealed class WrittenFormsReadTests
{
    private static readonly (string Name, string Email, string Address, string Note)[] Rows =
    [
        ("王伟", "w@example.org", "浙江省宁波市海曙区南门街道解放南路12号", "联系人：王小明，电话一三八一二三四五六七八"),
        ("欧阳娜娜", "wang.wei.long.mailbox@example.org", "宁波市江北区洪塘街道荪湖社区15幢2单元301室", "身份证号 3302O3199001011234 已核"),
        ("李明华", "li@163.com", "宁波市某某社区中山东路8号", "回电 138\u200B1234\u20605678 或 0574-87654321"),
        ("张三", "zhang san at example dot com", "海曙区解放南路12号", "卡号 6222 0212 3456 7890 123，邮箱 zhang[at]example.com"),
    ];

    private static string Csv() => "n,name,email,address,note\n" + string.Concat(Rows.Select((r, i) => $"{i + 1},{r.Name},{r.Email},{r.Address},\"{r.Note}\"\n"));

    [DatabaseTheory, OnEachDatabase]
    public async Task Numbers_addresses_and_names_leave_in_one_shape_and_keep_nothing_below_the_district(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner();
        var created = await owner.PostAsync("/v1/datasets", System.Net.Http.Json.JsonContent.Create(new
        {
            id = "written-forms",
            title = "Written forms",
            description = "made-up people writing numbers as people do",
            theme = "public-services",
            classification = "open",
            license = "CC-BY-4.0",
            updateFrequency = "irregular",
            columns = new object[]
            {
                new { name = "n", type = "integer" },
                new { name = "name", type = "string", tag = "pii.name" },
                new { name = "email", type = "string", tag = "pii.email" },
                new { name = "address", type = "string", tag = "pii.address" },
                new { name = "note", type = "string" },
            },
        }));
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("succeeded", (await host.UploadAsync(owner, "written-forms", Csv())).GetProperty("status").GetString());

        var anonymous = host.Anonymous();
        var page = await PlatformHost.ReadJsonAsync(await anonymous.GetAsync("/v1/datasets/written-forms/records?order_by=n"));
        var items = page["items"]!.AsArray().Select(i => i!).ToList();
        Assert.Equal(Rows.Length, items.Count);

        // 6: one shape per tag, whatever the length of the name or the mailbox.
        Assert.All(items, i => Assert.Matches("^.\\*\\*$", i["name"]!.GetValue<string>()));
        var mailboxes = items.Take(3).Select(i => i["email"]!.GetValue<string>()).ToList();
        // A one-letter mailbox shows nothing of itself: its first letter would be all of it.
        Assert.Equal(["****@example.org", "w***@example.org", "l***@163.com"], mailboxes);

        // 5: the district (or the city), never the street, the number or the 社区.
        var addresses = items.Select(i => i["address"]?.GetValue<string>()).ToList();
        Assert.Equal("浙江省宁波市海曙区", addresses[0]);
        Assert.Equal("宁波市江北区", addresses[1]);
        Assert.Equal("宁波市", addresses[2]);
        Assert.True(addresses[3] is null || addresses[3] == "海曙区", addresses[3]);
        foreach (var address in addresses.Where(a => a is not null))
        {
            foreach (var below in new[] { "街道", "社区", "路", "号", "幢", "室" })
            {
                Assert.DoesNotContain(below, address!, StringComparison.Ordinal);
            }
        }

        // 3: free text leaves with nothing recoverable, in every format.
        foreach (var format in new[] { "json", "csv", "ndjson" })
        {
            var body = await anonymous.GetStringAsync($"/v1/datasets/written-forms/records?format={format}");
            Assert.Empty(PiiScanner.Find(body));
            var revealed = RevealedText.Of(body);
            foreach (var secret in new[] { "13812345678", "330203199001011234", "87654321", "62220212345678901", "王小明", "zhang@example.com" })
            {
                Assert.DoesNotContain(RevealedText.Of(secret), revealed, StringComparison.Ordinal);
            }
            foreach (var raw in new[] { "zhang[at]example", "一三八一二三四五六七八", "3302O319900101", "87654321" })
            {
                Assert.DoesNotContain(raw, body, StringComparison.Ordinal);
            }
        }
    }
}
