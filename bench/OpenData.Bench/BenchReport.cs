using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace OpenData.Bench;

/// <summary>One line of the results table.</summary>
internal sealed record ScenarioResult(string Database, string Scenario, string Platform, string Baseline, double? Ratio, string Target, bool? Met, string Detail);

/// <summary>The machine, the run's settings and every scenario's figures; printed, and written to bench/RESULTS.md.</summary>
internal sealed class BenchReport
{
    private const string RunsMarker = "<!-- runs: the bench inserts each new run below this line, newest first -->";
    private const int KeptRuns = 8;

    public List<ScenarioResult> Results { get; } = [];

    public List<string> Notes { get; } = [];

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public string PostgresVersion { get; set; } = "not measured";

    public string LoadAverageAtStart { get; } = LoadAverage();

    public string LoadAverageAtEnd { get; set; } = "";

    public TimeSpan Elapsed { get; set; }

    public required BenchOptions Options { get; init; }

    public void Add(ScenarioResult result)
    {
        Results.Add(result);
        var met = result.Met switch { true => "met", false => "MISSED", null => "" };
        var ratio = result.Ratio is null ? "" : $"{result.Ratio:F2}x";
        Console.WriteLine($"  => {result.Scenario}: {result.Platform} vs {result.Baseline}  ratio {ratio}  target {result.Target} {met}");
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    public static string MemoryTotal()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kb = long.Parse(new string(line.Where(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture);
            return $"{kb / 1024.0 / 1024.0:F1} GiB RAM";
        }
        catch (IOException)
        {
            return "unknown RAM";
        }
    }

    public string Machine() =>
        $"{Environment.ProcessorCount} cores ({CpuModel()}), {MemoryTotal()}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, PostgreSQL {PostgresVersion}";

    public string Settings() => Options.Only == BenchOptions.Scale
        ? $"--only scale: {Options.ScaleWorkers} closed-loop HTTP workers through a reverse proxy; {Options.ScaleDuration.TotalSeconds:0} s measured on three nodes, " +
          $"{Options.ScaleDuration.TotalSeconds / 2:0} s on one, in alternating slices; all traffic on 127.0.0.1"
        : $"{Options.Workers} concurrent HTTP workers; {Options.Warmup.TotalSeconds:0.#} s warm-up per side, then {Options.Duration.TotalSeconds:0.#} s measured per side in " +
        $"{Options.Rounds} alternating rounds; exports and COPY TO best of {Options.ExportRepeats}; all traffic on 127.0.0.1";

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"OpenData bench, {Started:yyyy-MM-dd HH:mm} UTC: {Machine()}");
        Console.WriteLine($"load average at start {LoadAverageAtStart}, at end {LoadAverageAtEnd}; run took {Elapsed.TotalSeconds:F0} s");
        var header = new[] { "db", "scenario", "platform", "baseline", "ratio", "target", "" };
        var rows = Results.Select(r => new[]
        {
            r.Database, r.Scenario, r.Platform, r.Baseline, r.Ratio is null ? "" : $"{r.Ratio:F2}x", r.Target,
            r.Met switch { true => "met", false => "MISSED", null => "" },
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        void Line(string[] cells) => Console.WriteLine(string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        Line(header);
        Line(widths.Select(w => new string('-', w)).ToArray());
        rows.ForEach(Line);
        foreach (var note in Notes)
        {
            Console.WriteLine("note: " + note);
        }
    }

    /// <summary>Inserts this run at the top of the runs in RESULTS.md, keeping the text above the marker (written by people).</summary>
    public void Write(string path)
    {
        var head = DefaultHead;
        var previous = new List<string>();
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path);
            var at = text.IndexOf(RunsMarker, StringComparison.Ordinal);
            if (at >= 0)
            {
                head = text[..at].TrimEnd() + "\n\n";
                var runs = text[(at + RunsMarker.Length)..];
                previous = runs.Split("\n## Run ", StringSplitOptions.RemoveEmptyEntries)
                    .Select(r => r.Trim())
                    .Where(r => r.Length > 0)
                    .Select(r => r.StartsWith("## Run ", StringComparison.Ordinal) ? r : "## Run " + r)
                    .Take(KeptRuns - 1)
                    .ToList();
            }
        }
        var run = new StringBuilder();
        run.Append(CultureInfo.InvariantCulture, $"## Run {Started:yyyy-MM-dd HH:mm} UTC\n\n");
        run.Append(CultureInfo.InvariantCulture, $"- Machine: {Machine()}\n");
        run.Append(CultureInfo.InvariantCulture, $"- Settings: {Settings()}\n");
        run.Append(CultureInfo.InvariantCulture,
            $"- Load average at start {LoadAverageAtStart}, at end {LoadAverageAtEnd} (the end figure includes the bench's own servers and workers); the run took {Elapsed.TotalSeconds:F0} s\n\n");
        run.Append("| DB | Scenario | Platform | Baseline | Ratio | Target | |\n|---|---|---|---|---|---|---|\n");
        foreach (var r in Results)
        {
            var met = r.Met switch { true => "met", false => "**missed**", null => "" };
            run.Append(CultureInfo.InvariantCulture,
                $"| {r.Database} | {Cell(r.Scenario)} | {Cell(r.Platform)} | {Cell(r.Baseline)} | {(r.Ratio is null ? "" : $"{r.Ratio:F2}×")} | {Cell(r.Target)} | {met} |\n");
        }
        var details = Results.Where(r => r.Detail.Length > 0).ToList();
        if (details.Count > 0 || Notes.Count > 0)
        {
            run.Append('\n');
            foreach (var r in details)
            {
                run.Append(CultureInfo.InvariantCulture, $"- {r.Database}, {r.Scenario}: {r.Detail}\n");
            }
            foreach (var note in Notes)
            {
                run.Append(CultureInfo.InvariantCulture, $"- {note}\n");
            }
        }
        var content = new StringBuilder(head).Append(RunsMarker).Append("\n\n").Append(run);
        foreach (var old in previous)
        {
            content.Append('\n').Append(old).Append('\n');
        }
        File.WriteAllText(path, content.ToString());
        Console.WriteLine($"wrote {path}");
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private const string DefaultHead = """
        # Benchmark results

        Produced by `dotnet run -c Release --project bench/OpenData.Bench` (see [README.md](README.md)); newest run first.
        Each ratio compares the platform with a baseline measured in the same run (platform throughput / baseline
        throughput, higher is better).

        Targets (issue 2): records full path ≥ 0.8× the bare Dapper endpoint; page 600 of a cursor walk ≥ 0.9× page 1;
        CSV export ≥ 0.5× `COPY … TO STDOUT` with peak RSS growth < 64 MB; ingestion ≥ 0.5× `COPY FROM`.
        Target (issue 3): a records page with a bearer token ≥ 0.9× the same page anonymous.
        Target (issue 4): a records page of 1,000 rows desensitised (3 transformed columns + the outbound PII check) ≥ 0.75× the
        same page in clear (its owner).
        Target (issue 5): a records page (no filter, 100 rows, anonymous) with quota admission and usage metering ≥ 0.95× the same
        page on a host with quotas off.
        Target (scenario 8): a records page through GraphQL (`dataset(id:) { records(…) { items next } }`) ≥ 0.8× the same page
        through REST, pages of 100 and 1,000, anonymous.


        """;
}
