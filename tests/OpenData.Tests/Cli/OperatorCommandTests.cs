using System.Text;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Cli;

/// <summary>The operator commands, run as the real binary in a process of its own against a fresh store.</summary>
public sealed class OperatorCommandTests
{
    [DatabaseTheory, OnEachDatabase]
    public async Task Migrate_seed_and_import_load_a_file_and_a_rejected_file_exits_non_zero(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        await host.CreateDatasetAsync(host.Owner(), "imported", "open", ("code", "string"), ("population", "integer"));
        var environment = OperatorProcess.EnvironmentFor(host);

        Assert.Equal(0, (await OperatorProcess.RunAsync(environment, "migrate")).ExitCode);
        var seed = await OperatorProcess.RunAsync(environment, "seed");
        Assert.Equal(0, seed.ExitCode);
        Assert.Contains("0 dataset(s) loaded", seed.Output, StringComparison.Ordinal);

        var good = Path.Combine(host.DataDirectory, "good.csv");
        await File.WriteAllTextAsync(good, "code,population\n" + string.Concat(Enumerable.Range(1, 5000).Select(i => $"c{i},{i}\n")));
        var import = await OperatorProcess.RunAsync(environment, "import", "--dataset", "imported", "--file", good);
        Assert.True(import.ExitCode == 0, import.Output);
        Assert.Contains("5,000", import.Output, StringComparison.Ordinal);
        var detail = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/imported"));
        Assert.Equal(5000, detail["rowCount"]!.GetValue<long>());
        Assert.Equal(1, detail["version"]!.GetValue<int>());

        var gb = Path.Combine(host.DataDirectory, "gb.csv");
        System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        await File.WriteAllBytesAsync(gb, Encoding.GetEncoding("GB18030").GetBytes("code,population\n海曙区,1\n江北区,2\n"));
        Assert.Equal(0, (await OperatorProcess.RunAsync(environment, "import", "--dataset", "imported", "--file", gb, "--charset", "gb18030")).ExitCode);
        var page = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/imported/records"));
        Assert.Equal(["海曙区", "江北区"], page["items"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()));

        var bad = Path.Combine(host.DataDirectory, "bad.csv");
        await File.WriteAllTextAsync(bad, "code,population\na,1\nb,many\n");
        var rejected = await OperatorProcess.RunAsync(environment, "import", "--dataset", "imported", "--file", bad);
        Assert.Equal(1, rejected.ExitCode);
        Assert.Contains("population", rejected.Output, StringComparison.Ordinal);
        Assert.Contains("previous version", rejected.Output, StringComparison.Ordinal);
        Assert.Equal(2, (await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/imported")))["version"]!.GetValue<int>());

        Assert.Equal(2, (await OperatorProcess.RunAsync(environment, "import", "--dataset", "no-such", "--file", good)).ExitCode);
        Assert.Equal(2, (await OperatorProcess.RunAsync(environment, "import", "--dataset", "imported")).ExitCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task After_rotate_keys_new_tokens_are_signed_with_the_new_key_and_old_tokens_still_validate(string db)
    {
        // A fixed issuer, as in production: the restarted test host listens on another port.
        var first = await PlatformHost.StartAsync(db, new Dictionary<string, string?> { ["OpenData:Auth:Issuer"] = "https://opendata.test/" });
        var environment = OperatorProcess.EnvironmentFor(first);
        var before = await TokenAsync(first);
        var rotate = await OperatorProcess.RunAsync(environment, "rotate-keys");
        Assert.True(rotate.ExitCode == 0, rotate.Output);
        await using var host = await first.RestartAsync();
        var after = await TokenAsync(host);
        Assert.NotEqual(KeyId(before), KeyId(after));
        Assert.Contains(KeyId(after), rotate.Output, StringComparison.Ordinal);
        foreach (var token in new[] { before, after })
        {
            var client = host.Anonymous();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/v1/me")).StatusCode);
        }
    }

    private static async Task<string> TokenAsync(PlatformHost host)
    {
        var response = await host.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["grant_type"] = "client_credentials", ["client_id"] = "demo-consumer-app", ["client_secret"] = "demo-consumer-secret" }));
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    private static string KeyId(string jwt) =>
        System.Text.Json.Nodes.JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[0]))!["kid"]!.GetValue<string>();
}
