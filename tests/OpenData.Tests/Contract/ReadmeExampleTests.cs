using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Contract;

/// <summary>
/// Issue 21, executable docs: every example of the README marked <c>console</c> runs, as written, against a freshly seeded
/// Development host with the shipped policies, and prints what the README shows. A wrong example fails this test, in CI too.
/// </summary>
public sealed class ReadmeExampleTests
{
    private static string Readme => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));

    private static Task<PlatformHost> HostAsync(string db) =>
        // The shipped plans, so the rate-limit headers the README shows are the real ones; the operator the README names (Development's demo one).
        PlatformHost.StartAsync(db, new Dictionary<string, string?>
        {
            ["OpenData:Policies:Directory"] = TestPolicies.Shipped,
            ["OpenData:Operator:ClientId"] = "demo-operator",
            ["OpenData:Operator:ClientSecret"] = "demo-operator-secret",
        });

    [DatabaseTheory, OnEachDatabase]
    public async Task Every_console_example_of_the_README_prints_what_the_README_shows(string db)
    {
        var examples = ReadmeExamples.Parse(Readme);
        Assert.True(examples.Count >= 20, $"only {examples.Count} executable examples found in README.md");
        await using var host = await HostAsync(db);

        var mismatches = await ReadmeExamples.RunAsync(examples, host.BaseAddress);

        Assert.True(mismatches.Count == 0, string.Join("\n\n", mismatches));
    }

    [Fact]
    public async Task A_deliberately_wrong_example_fails_naming_its_line_and_what_it_printed()
    {
        const string markdown = """
            # Try it
            ```console
            $ curl -s 'http://127.0.0.1:5080/v1/datasets?q=villages' | grep -o '"id":"[^"]*"'
            "id":"ningbo-villages"
            $ curl -s 'http://127.0.0.1:5080/v1/datasets/ningbo-villages/export?format=ndjson' | wc -l
            3041
            $ echo done
            d…e
            ```
            """;
        var examples = ReadmeExamples.Parse(markdown);
        Assert.Equal([3, 5, 7], examples.Select(e => e.Line));
        await using var host = await HostAsync(Db.Sqlite);

        var mismatches = await ReadmeExamples.RunAsync(examples, host.BaseAddress);

        var wrong = Assert.Single(mismatches);
        Assert.Equal(5, wrong.Example.Line);
        Assert.Equal("3042\n", wrong.Actual);
        Assert.StartsWith("README line 5: $ curl -s 'http://127.0.0.1:5080/v1/datasets/ningbo-villages/export", wrong.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\nb", "a\nb\n", true)]
    [InlineData("a\nb", "a\nc\n", false)]
    [InlineData("{\"id\":…,\"next\":null}", "{\"id\":\"x\",\"y\":1,\"next\":null}", true)]
    [InlineData("first\n…\nlast", "first\n1\n2\nlast\n", true)]
    [InlineData("first\n…\nlast", "first\nlast", true)]
    [InlineData("first\n…\nlast", "first\n1\n2\n", false)]
    [InlineData("", "", true)]
    [InlineData("", "unexpected\n", false)]
    [InlineData("a.c", "abc", false)]
    public void Shown_output_matches_exactly_except_for_ellipses(string shown, string printed, bool matches) =>
        Assert.Equal(matches, ReadmeExamples.Matches(shown.Length == 0 ? [] : shown.Split('\n'), printed));
}
