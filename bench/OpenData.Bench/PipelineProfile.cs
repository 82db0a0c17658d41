using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Hosting;

namespace OpenData.Bench;

/// <summary>
/// Where a desensitised page's CPU goes inside the view: <see cref="RowPipeline.Apply"/> over the scenario's 1,000 rows, timed in
/// the bench's own process with the platform's policy files and view resolver, in all and column by column (transform alone,
/// then transform + outbound check).
/// </summary>
internal static class PipelineProfile
{
    private const int Batches = 40;
    private const int PagesPerBatch = 3;

    public static async Task<string> RunAsync(string policiesDirectory, IReadOnlyList<PiiTickets.Ticket> page, CancellationToken cancellationToken)
    {
        var policies = PlatformPolicies.Load(policiesDirectory);
        var columns = PiiTickets.Columns.Select((c, i) => new ColumnDefinition(i, c.Name, ColumnType.String, c.Name, null, c.Tag)).ToList();
        var schema = new DatasetSchema(1, PiiTickets.DatasetId, "bench-owner", "bench", Classification.Open, 1, columns);
        // An anonymous caller: the resolver never needs pseudonym keys or grants for one.
        var view = await new PolicyViewResolver(policies.Classification, policies.Desensitisation, null!, new NoGrants()).ResolveAsync(new ClaimsPrincipal(new ClaimsIdentity()), schema, cancellationToken);
        var rows = page.Select(PiiTickets.Cells).ToArray();

        var copyOnly = Measure(rows, () => null);
        var whole = Measure(rows, () => view.PipelineFor(columns));
        var allocated = Allocated(rows, () => view.PipelineFor(columns));
        var copyOne = Measure(rows.Select(r => new[] { r[0] }).ToArray(), () => null);
        var parts = new List<string>();
        for (var c = 0; c < columns.Count; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rule = view.RuleOf(columns[c]);
            var cells = rows.Select(r => new[] { r[c] }).ToArray();
            var one = new[] { columns[c] };
            var withScan = Measure(cells, () => new RowPipeline(one, [rule], null, null)) - copyOne;
            if (rule.Transform.Kind == TransformKind.Clear)
            {
                parts.Add($"{columns[c].Name} (scan only) {withScan:F0}");
                continue;
            }
            var transformOnly = Measure(cells, () => new RowPipeline(one, [rule with { Scan = false }], null, null)) - copyOne;
            parts.Add($"{columns[c].Name} ({rule.Transform.Kind.ToString().ToLowerInvariant()} {transformOnly:F0}, + scan {withScan - transformOnly:F0})");
        }

        // The note column split by content: the cheap first look rejects a plain note; one holding a number is parsed and masked.
        var note = PiiTickets.Columns.Length - 1;
        var noteRule = view.RuleOf(columns[note]);
        var noteColumn = new[] { columns[note] };
        var plain = rows.Where(r => ((string)r[note]!).All(ch => !char.IsAsciiDigit(ch))).Select(r => new[] { r[note] }).ToArray();
        var holding = rows.Where(r => ((string)r[note]!).Any(char.IsAsciiDigit)).Select(r => new[] { r[note] }).ToArray();
        var plainNs = (Measure(plain, () => new RowPipeline(noteColumn, [noteRule], null, null)) - Measure(plain, () => null)) * 1000 / Math.Max(1, plain.Length);
        var holdingNs = (Measure(holding, () => new RowPipeline(noteColumn, [noteRule], null, null)) - Measure(holding, () => null)) * 1000 / Math.Max(1, holding.Length);

        // Inside PiiScanner.Mask for a note holding a number: the first look, then Find, the mask, and Find again over the masked copy.
        var holdingTexts = holding.Select(r => (string)r[0]!).ToArray();
        var firstLookNs = Time(holdingTexts, t => PiiScanner.MightHold(t) ? 1 : 0);
        var findNs = Time(holdingTexts, t => PiiScanner.Find(t).Count);
        var maskNs = Time(holdingTexts, t => PiiScanner.Mask(t, new int[Enum.GetValues<PiiKind>().Length])?.Length ?? 0);
        var byColumn = string.Join(", ", parts);
        return string.Create(CultureInfo.InvariantCulture,
            $"RowPipeline.Apply over the page's {rows.Length:N0} rows, timed in the bench process with the platform's policies (the fastest of {Batches} batches of {PagesPerBatch} pages: other load on the machine only slows a batch down): {whole - copyOnly:F0} µs a page ({(whole - copyOnly) * 1000 / rows.Length:F0} ns a row), allocating {allocated / 1024.0:F0} KB a page; by column, µs a page: {byColumn}; a note without digits {plainNs:F0} ns (the first look only), a note holding a number {holdingNs:F0} ns ({plain.Length} and {holding.Length} of the page's notes); for one holding a number, PiiScanner.MightHold {firstLookNs:F0} ns, PiiScanner.Find {findNs:F0} ns, PiiScanner.Mask {maskNs:F0} ns (it runs Find again over the masked text to prove nothing is left)");
    }

    /// <summary>Bytes the pipeline allocates over one page (the cells' copies are made in place, so they add nothing).</summary>
    private static long Allocated(object?[][] rows, Func<RowPipeline?> make)
    {
        var work = rows.Select(r => new object?[r.Length]).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        using (var pipeline = make())
        {
            for (var r = 0; r < rows.Length; r++)
            {
                Array.Copy(rows[r], work[r], rows[r].Length);
                pipeline?.Apply(work[r]);
            }
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>Fewest ns a text for <paramref name="work"/>, over the same batches as <see cref="Measure"/>.</summary>
    private static double Time(string[] texts, Func<string, int> work)
    {
        var sink = 0;
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 200)
        {
            foreach (var text in texts)
            {
                sink += work(text);
            }
        }
        var best = double.MaxValue;
        for (var b = 0; b < Batches; b++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var p = 0; p < PagesPerBatch; p++)
            {
                foreach (var text in texts)
                {
                    sink += work(text);
                }
            }
            best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalNanoseconds / PagesPerBatch / texts.Length);
        }
        GC.KeepAlive(sink);
        return best;
    }

    /// <summary>Fewest µs to copy the page's cells (the read path hands Apply a fresh array per row) and apply a new pipeline to them.</summary>
    private static double Measure(object?[][] rows, Func<RowPipeline?> make)
    {
        var work = rows.Select(r => new object?[r.Length]).ToArray();
        void Page()
        {
            using var pipeline = make();
            for (var r = 0; r < rows.Length; r++)
            {
                Array.Copy(rows[r], work[r], rows[r].Length);
                pipeline?.Apply(work[r]);
            }
        }

        // Long enough for tiered JIT to reach its optimised code.
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 300)
        {
            Page();
        }
        var samples = new double[Batches];
        for (var b = 0; b < Batches; b++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var p = 0; p < PagesPerBatch; p++)
            {
                Page();
            }
            samples[b] = Stopwatch.GetElapsedTime(started).TotalMicroseconds / PagesPerBatch;
        }
        return samples.Min();
    }
}
