using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenData.Portal.Browsing;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>The dataset page's code: the curl line runs as shown and returns rows; values from the data stay text in every language.</summary>
public sealed partial class CodeSnippetsTests
{
    [Fact]
    public async Task The_curl_snippet_of_the_villages_page_runs_as_shown_and_returns_rows()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using var browser = OAuthFlows.Browser(host);
        var html = await browser.GetStringAsync("/datasets/ningbo-villages");
        var curl = WebUtility.HtmlDecode(CurlSnippet().Match(html).Groups[1].Value);
        Assert.Contains("where=", curl, StringComparison.Ordinal);

        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", curl]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}\n{curl}");
        var items = JsonNode.Parse(output)!["items"]!.AsArray();
        Assert.InRange(items.Count, 1, 10);
        Assert.Equal(["code", "name", "streetCode"], items[0]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void A_value_from_the_data_stays_text_in_every_language()
    {
        const string hostile = "x' or $(touch /tmp/pwned) `id` \"q\" \\ \n";
        var snippets = CodeSnippets.For("http://127.0.0.1:5080", "d", [("where", $"name = '{hostile.Replace("'", "''", StringComparison.Ordinal)}'")], needsToken: false);
        // The shell: single quotes throughout, each quote closed, escaped and reopened.
        Assert.Contains("'where=name = '\\''x'\\'''\\'' or $(touch /tmp/pwned) `id` \"q\" \\ \n'\\'''", snippets.Curl, StringComparison.Ordinal);
        // JSON string literals elsewhere: the quote, backslash and newline escaped.
        foreach (var code in new[] { snippets.Python, snippets.JavaScript, snippets.CSharp })
        {
            Assert.Contains("\\\"q\\\" \\\\ \\n", code, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"<code data-language=""curl"">([^<]*)</code>")]
    private static partial Regex CurlSnippet();
}
