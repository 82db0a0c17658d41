using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using OpenData.Platform.Datasets;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Sandbox;

/// <summary>
/// A generated 50,000-row restricted dataset (personal columns, districts with rare ones, a category that depends on the district,
/// numbers, dates, NULLs) published through the API on each database: its twin, read by a sandbox token through the export, holds
/// no real value of a high-cardinality column, keeps the district shares within 0.02, and leaves out the districts seen under 10 times.
/// </summary>
public sealed class LargeTwinTests
{
    private const int Rows = 50_000;

    private static string Csv(List<object?[]> rows)
    {
        var text = new StringBuilder(string.Join(",", RealTable.Columns.Select(c => c.Name))).Append('\n');
        foreach (var row in rows)
        {
            text.AppendJoin(",", row.Select(v => v switch
            {
                null => "",
                DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                string s when s.Contains(',', StringComparison.Ordinal) || s.Contains('"', StringComparison.Ordinal) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
                _ => v.ToString(),
            })).Append('\n');
        }
        return text.ToString();
    }

    private static string TypeName(ColumnType type) => type switch
    {
        ColumnType.Integer => "integer",
        ColumnType.Decimal => "decimal",
        ColumnType.Boolean => "boolean",
        ColumnType.Date => "date",
        ColumnType.Datetime => "datetime",
        _ => "string",
    };

    [DatabaseTheory, OnEachDatabase]
    public async Task A_50k_row_twin_copies_no_identifying_value_keeps_the_shares_and_drops_rare_categories(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner();
        var created = await owner.PostAsJsonAsync("/v1/datasets", new
        {
            id = "large-twin",
            title = "Fifty thousand made-up requests",
            theme = "public-services",
            classification = "restricted",
            license = "CC-BY-4.0",
            updateFrequency = "irregular",
            columns = RealTable.Columns.Select(c => new { name = c.Name, type = TypeName(c.Type), tag = c.Tag }).ToArray(),
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var real = RealTable.Rows(Rows);
        Assert.Equal("succeeded", (await host.UploadAsync(owner, "large-twin", Csv(real))).GetProperty("status").GetString());

        var response = await TwinServingTests.WhenServedAsync(TwinServingTests.Sandbox(host), "/v1/datasets/large-twin/export?format=csv");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var table = Infrastructure.Csv.Parse(body);
        var header = table[0].ToList();
        var twin = table.Skip(1).Where(r => r.Length == header.Count).ToList();
        Assert.InRange(twin.Count, Rows * 9 / 10, Rows * 11 / 10);

        // No value of an identifying column of the real rows is in the twin.
        foreach (var column in new[] { "name", "phone", "id_card", "address", "email", "bank_card", "case_no" })
        {
            var position = RealTable.Columns.Single(c => c.Name == column).Position;
            var values = real.Select(r => r[position] as string).Where(v => !string.IsNullOrEmpty(v)).ToHashSet(StringComparer.Ordinal);
            var index = header.IndexOf(column);
            var copied = twin.Select(r => r[index]).Where(values.Contains).Distinct().Take(3).ToList();
            Assert.True(copied.Count == 0, $"{column}: the twin holds real values, e.g. {string.Join(", ", copied)}");
        }

        // District shares within 0.02; the three districts seen 5 times each are absent.
        var districtPosition = RealTable.Columns.Single(c => c.Name == "district").Position;
        var districtIndex = header.IndexOf("district");
        var realShares = real.GroupBy(r => (string?)r[districtPosition]).ToDictionary(g => g.Key ?? "", g => g.Count() / (double)real.Count);
        var twinShares = twin.GroupBy(r => r[districtIndex]).ToDictionary(g => g.Key, g => g.Count() / (double)twin.Count);
        foreach (var district in RealTable.Districts)
        {
            Assert.True(Math.Abs(realShares[district] - twinShares.GetValueOrDefault(district)) <= 0.02,
                $"{district}: real share {realShares[district]:F3}, twin {twinShares.GetValueOrDefault(district):F3}");
        }
        foreach (var rare in RealTable.RareDistricts)
        {
            Assert.False(twinShares.ContainsKey(rare), $"the rare district {rare} (5 real rows) is in the twin");
        }

        var report = await PlatformHost.ReadJsonAsync(await owner.GetAsync("/v1/datasets/large-twin/twin"));
        Assert.Equal("ready", report["status"]!.GetValue<string>());
        Assert.True(report["report"]!["passed"]!.GetValue<bool>(), report.ToJsonString());
    }
}
