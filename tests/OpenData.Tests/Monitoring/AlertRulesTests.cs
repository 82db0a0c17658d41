using System.Globalization;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Monitoring;

/// <summary>
/// The alert rules under deploy/prometheus/ are valid (<c>promtool check rules</c>), fire on the trouble they name and stay quiet
/// otherwise (<c>promtool test rules</c>), each has its runbook; and a real Prometheus (Debian's package) scrapes a running host
/// and answers a PromQL query for the rate of records requests.
/// </summary>
[Collection(MetricsRunAlone.Name)]
public sealed class AlertRulesTests
{
    [Fact]
    public async Task The_rules_and_the_sample_configuration_pass_promtools_checks()
    {
        var check = await Prometheus.RunAsync("promtool", Prometheus.RulesFolder, "check", "rules", "opendata.rules.yml");
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("SUCCESS", check.Output, StringComparison.Ordinal);
        var config = await Prometheus.RunAsync("promtool", Prometheus.RulesFolder, "check", "config", "prometheus.yml");
        Assert.True(config.ExitCode == 0, config.Output);
    }

    [Fact]
    public async Task The_rules_unit_tests_pass()
    {
        var test = await Prometheus.RunAsync("promtool", Prometheus.RulesFolder, "test", "rules", "opendata.rules.test.yml");
        Assert.True(test.ExitCode == 0, test.Output);
        Assert.Contains("SUCCESS", test.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_alert_is_unit_tested_and_has_its_runbook()
    {
        var rules = File.ReadAllText(Path.Combine(Prometheus.RulesFolder, "opendata.rules.yml"));
        var tests = File.ReadAllText(Path.Combine(Prometheus.RulesFolder, "opendata.rules.test.yml"));
        var runbook = File.ReadAllText(Path.Combine(Prometheus.RulesFolder, "README.md"));
        var alerts = System.Text.RegularExpressions.Regex.Matches(rules, @"- alert: (\w+)").Select(m => m.Groups[1].Value).ToList();
        Assert.True(alerts.Count >= 10, "fewer alerts than the issue names");
        foreach (var alert in alerts)
        {
            Assert.Contains("alertname: " + alert + "\n", tests, StringComparison.Ordinal);
            Assert.Contains("## " + alert + "\n", runbook, StringComparison.Ordinal);
            Assert.Contains("README.md#" + alert.ToLowerInvariant() + "\"", rules, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_a_running_host_and_answers_the_rate_of_records_requests()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        await using var prometheus = await Prometheus.StartAsync(host.BaseAddress);
        var client = host.Anonymous();
        const string Rate = """sum(rate(opendata_requests_total{job="opendata", route="/v1/datasets/{id}/records", status_class="2xx"}[10s]))""";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var sent = 0;
        double rate = 0;
        while (rate <= 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no rate of records requests after {sent} requests in 60 s");
            (await client.GetAsync("/v1/datasets/ningbo-villages/records?limit=1")).EnsureSuccessStatusCode();
            sent++;
            await Task.Delay(100);
            if (sent % 5 == 0 && (await prometheus.QueryAsync(Rate)).FirstOrDefault() is { } sample)
            {
                rate = double.Parse(sample["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture);
            }
        }
        Assert.InRange(rate, 0.1, 1000);
        // The scraped total never runs ahead of the requests sent.
        var total = Assert.Single(await prometheus.QueryAsync("""sum(opendata_requests_total{route="/v1/datasets/{id}/records"})"""))!;
        Assert.InRange(double.Parse(total["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture), 1, sent);
        // The target is up, and the server loaded every rule of the platform's file.
        var up = Assert.Single(await prometheus.QueryAsync("""up{job="opendata"}"""))!;
        Assert.Equal("1", up["value"]![1]!.GetValue<string>());
        var groups = (await prometheus.GetAsync("api/v1/rules"))["data"]!["groups"]!.AsArray();
        Assert.Contains(groups.SelectMany(g => g!["rules"]!.AsArray()), r => r!["name"]!.GetValue<string>() == "OpenDataOutboundMaskSpike");
    }
}
