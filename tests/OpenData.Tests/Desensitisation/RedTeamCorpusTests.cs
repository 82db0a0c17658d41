using System.Globalization;
using System.Text;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Seed;
using Xunit.Abstractions;

namespace OpenData.Tests.Desensitisation;

/// <summary>Runs the red-team corpus and the false-positive corpus (with the seeded open datasets) through the scanner and holds it to its targets, printing the rate per class.</summary>
public class RedTeamCorpusTests(ITestOutputHelper output)
{
    private sealed record Case(int Line, PiiKind? Kind, string Raw, string Text);

    private static readonly Lazy<IReadOnlyList<Case>> Corpus = new(Load);

    private static readonly int Kinds = Enum.GetValues<PiiKind>().Length;

    private static readonly (PiiKind Kind, double Target)[] Targets =
    [
        (PiiKind.IdCard, 0.99),
        (PiiKind.Mobile, 0.99),
        (PiiKind.BankCard, 0.99),
        (PiiKind.Email, 0.95),
        (PiiKind.Address, 0.95),
        (PiiKind.Landline, 0.95),
        (PiiKind.Name, 0.95),
    ];

    [Fact]
    public void The_corpus_is_large_and_mixed_and_every_case_holds_its_raw_value()
    {
        var cases = Corpus.Value;
        Assert.True(cases.Count >= 600, $"{cases.Count} cases");
        Assert.True(cases.Count(c => c.Kind is null) >= 100);
        Assert.All(Targets, t => Assert.True(cases.Count(c => c.Kind == t.Kind) >= 30, $"{t.Kind}: fewer than 30 cases"));
        Assert.All(cases.Where(c => c.Kind is not null), c =>
            Assert.True(RevealedText.Of(c.Text).Contains(RevealedText.Of(c.Raw), StringComparison.Ordinal), $"line {c.Line}: raw value not in text"));
    }

    [Fact]
    public void Planted_values_are_masked_at_the_target_rate()
    {
        var report = new StringBuilder();
        var rates = new Dictionary<PiiKind, double>();
        foreach (var (kind, _) in Targets)
        {
            var cases = Corpus.Value.Where(c => c.Kind == kind).ToList();
            var detected = 0;
            var sameKind = 0;
            var misses = new StringBuilder();
            foreach (var c in cases)
            {
                var counts = new int[Kinds];
                var masked = PiiScanner.Mask(c.Text, counts);
                var leaked = masked is null || RevealedText.Of(masked).Contains(RevealedText.Of(c.Raw), StringComparison.Ordinal);
                var refound = masked is not null && PiiScanner.Find(masked).Count > 0;
                sameKind += counts[(int)kind] > 0 ? 1 : 0;
                if (!leaked && !refound)
                {
                    detected++;
                    if (counts[(int)kind] == 0)
                    {
                        misses.Append(CultureInfo.InvariantCulture, $"    line {c.Line} masked, but counted as another kind: {Show(c.Text)}  =>  {Show(masked!)}\n");
                    }
                }
                else
                {
                    misses.Append(CultureInfo.InvariantCulture, $"    line {c.Line} MISSED: {Show(c.Text)}  =>  {Show(masked ?? "(null)")}{(refound ? "  [found again]" : "")}\n");
                }
            }
            rates[kind] = (double)detected / cases.Count;
            report.Append(CultureInfo.InvariantCulture, $"{kind,-9} {detected,3}/{cases.Count,-3} detected ({rates[kind]:P1}), {sameKind} counted as {kind}\n").Append(misses);
        }
        output.WriteLine($"{Corpus.Value.Count} cases");
        output.WriteLine(report.ToString());
        Assert.All(Targets, t => Assert.True(rates[t.Kind] >= t.Target, $"{t.Kind}: {rates[t.Kind]:P1} < {t.Target:P0}\n{report}"));
    }

    [Fact]
    public void No_negative_is_flagged()
    {
        var negatives = Corpus.Value.Where(c => c.Kind is null).ToList();
        var flagged = new StringBuilder();
        var falsePositives = 0;
        foreach (var c in negatives)
        {
            var counts = new int[Kinds];
            var masked = PiiScanner.Mask(c.Text, counts);
            if (masked is not null)
            {
                falsePositives++;
                flagged.Append(CultureInfo.InvariantCulture, $"    line {c.Line}: {Show(c.Text)}  =>  {Show(masked)}\n");
            }
        }
        output.WriteLine($"false positives: {falsePositives}/{negatives.Count}\n{flagged}");
        Assert.True(falsePositives == 0, $"{falsePositives} false positives:\n{flagged}");
    }

    [Fact]
    public void The_false_positive_rate_on_ordinary_values_and_the_seeded_open_datasets_is_at_most_one_percent()
    {
        var cells = FalsePositiveCells();
        var flagged = new StringBuilder();
        var byCategory = new SortedDictionary<string, (int Flagged, int Total)>(StringComparer.Ordinal);
        foreach (var (category, text) in cells)
        {
            var masked = PiiScanner.Mask(text, new int[Kinds]);
            var (f, t) = byCategory.GetValueOrDefault(category);
            byCategory[category] = (f + (masked is null ? 0 : 1), t + 1);
            if (masked is not null)
            {
                flagged.Append(CultureInfo.InvariantCulture, $"    {category}: {Show(text)}  =>  {Show(masked)}\n");
            }
        }
        var total = byCategory.Values.Sum(v => v.Flagged);
        var rate = (double)total / cells.Count;
        output.WriteLine($"false positives: {total}/{cells.Count} ({rate:P2})");
        foreach (var (category, (f, t)) in byCategory)
        {
            output.WriteLine($"  {category,-22} {f,4}/{t,-5} ({(double)f / t:P2})");
        }
        output.WriteLine(flagged.ToString());
        Assert.True(rate <= 0.01, $"false-positive rate {rate:P2} > 1%\n{flagged}");
    }

    /// <summary>The hand-written false-positive corpus, then every cell of the seeded open datasets (for the food licences, the columns that are not personal).</summary>
    private static List<(string Category, string Text)> FalsePositiveCells()
    {
        var cells = new List<(string, string)>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Desensitisation", "false-positive-corpus.tsv")))
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                cells.Add((line[..tab], line[(tab + 1)..]));
            }
        }
        using (var stream = typeof(PiiScanner).Assembly.GetManifestResourceStream("seed/ningbo-villages.csv")!)
        using (var reader = new StreamReader(stream))
        {
            AddCells(cells, "ningbo-villages", reader.ReadToEnd(), null);
        }
        AddCells(cells, "air-quality", DemoData.AirQualityCsv(), null);
        AddCells(cells, "food-licences", DemoData.FoodLicencesCsv(), ["licenceNo", "businessName", "category", "issuedOn", "validUntil"]);
        return cells;
    }

    private static void AddCells(List<(string, string)> cells, string dataset, string csv, string[]? columns)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        foreach (var line in lines.Skip(1))
        {
            // The seeded files quote no field that holds a comma.
            var fields = line.Split(',');
            for (var i = 0; i < fields.Length; i++)
            {
                var value = fields[i].Trim('"');
                if (value.Length > 0 && (columns is null || columns.Contains(header[i])))
                {
                    cells.Add(($"{dataset}.{header[i]}", value));
                }
            }
        }
    }

    private static List<Case> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Desensitisation", "redteam-corpus.tsv");
        var cases = new List<Case>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var fields = line.Split('\t');
            Assert.True(fields.Length == 3, $"line {number}: expected kind<TAB>raw<TAB>text");
            PiiKind? kind = fields[0] switch
            {
                "id_card" => PiiKind.IdCard,
                "mobile" => PiiKind.Mobile,
                "bank_card" => PiiKind.BankCard,
                "email" => PiiKind.Email,
                "landline" => PiiKind.Landline,
                "address" => PiiKind.Address,
                "name" => PiiKind.Name,
                "none" => null,
                _ => throw new InvalidDataException($"line {number}: unknown kind {fields[0]}"),
            };
            Assert.True(kind is null == (fields[1].Length == 0), $"line {number}: raw must be empty exactly for none");
            cases.Add(new Case(number, kind, fields[1], Unescape(fields[2])));
        }
        return cases;
    }

    private static string Show(string text) => text.Replace("\t", "\\t", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\u200B", "<ZWSP>", StringComparison.Ordinal);

    private static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is 't' or 'r' or 'n' or '\\')
            {
                result.Append(text[++i] switch { 't' => '\t', 'r' => '\r', 'n' => '\n', _ => '\\' });
            }
            else
            {
                result.Append(text[i]);
            }
        }
        return result.ToString();
    }
}
