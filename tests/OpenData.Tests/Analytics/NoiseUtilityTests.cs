using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenData.Platform.Analytics.Aggregates;
using OpenData.Platform.Datasets;
using Xunit.Abstractions;

namespace OpenData.Tests.Analytics;

/// <summary>
/// What the noise costs: the relative error of controlled counts and sums on cells of at least 100 contributors, on the 620,573
/// villages grouped by province and city (the shared data set, when it sits beside the repository; a synthetic table of the same
/// shape otherwise). Villages carry no number, so the sums measure a made-up per-village figure (50 to 549, from the code's hash,
/// bounded at 600, just above its largest value: an owner sets a bound at the column's plausible maximum; at 1,000 the sums' mean error is 1.0 %).
/// </summary>
public sealed class NoiseUtilityTests(ITestOutputHelper output)
{
    private static readonly ColumnDefinition Province = new(4, "provinceCode", ColumnType.String, "provinceCode", null, null);
    private static readonly ColumnDefinition City = new(5, "cityCode", ColumnType.String, "cityCode", null, null);
    private static readonly ColumnDefinition Households = new(6, "households", ColumnType.Integer, "households", null, null);

    [Fact]
    public void Counts_and_sums_of_large_cells_err_by_well_under_one_percent_at_epsilon_one()
    {
        var cells = VillageCells();
        var access = new AggregateAccess(true, 10, 1.0, 10, 85, ["provinceCode", "cityCode"], new Dictionary<string, double> { ["households"] = 600 });
        var countOnly = new AggregateQuery([Province, City], [new Measure(MeasureFunction.Count, null)]);
        var withSum = new AggregateQuery([Province, City], [new Measure(MeasureFunction.Count, null), new Measure(MeasureFunction.Sum, Households)]);

        var counted = DisclosureControl.Publish(cells, countOnly, access, "utility\ncount");
        var summed = DisclosureControl.Publish(cells, withSum, access, "utility\ncount,sum");

        var large = Enumerable.Range(0, cells.Count).Where(i => cells[i].Count >= 100 && !(bool)counted[i]["suppressed"]!).ToList();
        double Error(object? noisy, double truth) => Math.Abs(Convert.ToDouble(noisy, CultureInfo.InvariantCulture) - truth) / truth;
        var countErrors = large.Select(i => Error(counted[i]["count"], cells[i].Count)).ToList();
        var countErrorsWithSum = large.Select(i => Error(summed[i]["count"], cells[i].Count)).ToList();
        var sumErrors = large.Where(i => !(bool)summed[i]["suppressed"]!).Select(i => Error(summed[i]["sum_households"], cells[i].Measured[0].Sum)).ToList();
        output.WriteLine($"{cells.Count} cells, {large.Count} of ≥ 100 villages ({cells.Sum(c => c.Count):N0} rows)");
        output.WriteLine($"count alone (scale 1): mean {countErrors.Average():P3}, 95th percentile {Percentile(countErrors, 0.95):P3}, max {countErrors.Max():P3}");
        output.WriteLine($"count beside a sum (scale 3): mean {countErrorsWithSum.Average():P3}, max {countErrorsWithSum.Max():P3}");
        output.WriteLine($"sum (bound 600, scale 1,800): mean {sumErrors.Average():P3}, 95th percentile {Percentile(sumErrors, 0.95):P3}, max {sumErrors.Max():P3}");

        Assert.True(large.Count >= 100, $"only {large.Count} large cells");
        Assert.True(countErrors.Average() < 0.01, $"count: mean relative error {countErrors.Average():P3}");
        Assert.True(countErrorsWithSum.Average() < 0.01, $"count beside a sum: mean relative error {countErrorsWithSum.Average():P3}");
        Assert.True(sumErrors.Average() < 0.01, $"sum: mean relative error {sumErrors.Average():P3}");
        // The noise is there all the same: not every large cell is exact.
        Assert.Contains(countErrors, e => e > 0);
    }

    private static double Percentile(List<double> values, double p) => values.Order().ElementAt((int)Math.Floor(p * (values.Count - 1)));

    /// <summary>The villages counted per province and city, with the made-up households summed, clipped and dominance-checked.</summary>
    private static List<RawCell> VillageCells()
    {
        var file = FindVillages();
        var lines = file is null ? SyntheticVillages() : File.ReadLines(file).Skip(1);
        var cells = new Dictionary<(string, string), (long Count, double Sum, double Max)>();
        foreach (var line in lines)
        {
            var fields = line.Split(',');
            var code = fields[0];
            var key = (fields[^3], fields[^2]);
            var households = 50 + (BitConverter.ToUInt16(SHA256.HashData(Encoding.ASCII.GetBytes(code))) % 500);
            var cell = cells.GetValueOrDefault(key);
            cells[key] = (cell.Count + 1, cell.Sum + households, Math.Max(cell.Max, households));
        }
        return cells.OrderBy(c => c.Key.Item1, StringComparer.Ordinal).ThenBy(c => c.Key.Item2, StringComparer.Ordinal)
            .Select(c => new RawCell([c.Key.Item1, c.Key.Item2], $"cityCode={c.Key.Item2}\u001eprovinceCode={c.Key.Item1}", c.Value.Count,
                [new MeasuredColumn(c.Value.Sum, c.Value.Sum, c.Value.Max, c.Value.Count)]))
            .ToList();
    }

    private static string? FindVillages()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data", "divisions", "villages.csv");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>600,000 made-up villages over 30 provinces of 12 cities, with cities of very different sizes.</summary>
    private static IEnumerable<string> SyntheticVillages()
    {
        for (var i = 0; i < 600_000; i++)
        {
            var province = 11 + i % 30;
            var city = province * 100 + (int)Math.Sqrt(i % 144);
            yield return $"{i:D12},name,0,{province},{city},0";
        }
    }
}
