using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OpenData.Platform.Monitoring;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The owner's monitoring and early warning (监测预警), as <see cref="MonitoringService"/> reports it: the reads of a dataset per
/// day by tenant (chart and table, rows or requests), the unusual reads of its datasets (also sent as <c>usage.anomaly</c>) and
/// the values the outbound check masked in them. A member of a tenant that owns no data is refused.
/// </summary>
internal sealed class MonitoringModel(MonitoringService monitoring, IOptions<MonitoringOptions> options) : ConsolePageModel
{
    /// <summary>What makes a read unusual (the page says it).</summary>
    public MonitoringOptions Rule => options.Value;

    public static readonly string[] Measures = ["rows", "requests"];

    /// <summary>Tenants drawn one by one in the chart; the rest are summed as "other tenants".</summary>
    public const int ChartTenants = 8;

    /// <summary>The column of the tenants past <see cref="ChartTenants"/>.</summary>
    public const string Others = "";

    [BindProperty(SupportsGet = true)]
    public string? Dataset { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Measure { get; set; }

    public MonitoringReport? Report { get; private set; }

    /// <summary>The report's days, oldest first (yyyy-MM-dd).</summary>
    public IReadOnlyList<string> Days { get; private set; } = [];

    /// <summary>The chart's tenants, most reading first (<see cref="Others"/> last when there are more).</summary>
    public IReadOnlyList<string> Columns { get; private set; } = [];

    /// <summary>Each reading tenant over the period: requests, rows and the days it read, most rows first.</summary>
    public IReadOnlyList<(string Tenant, long Requests, long Rows, int Days)> Readers { get; private set; } = [];

    private readonly Dictionary<(string Day, string Column), long> _cells = [];

    public long Cell(string day, string column) => _cells.GetValueOrDefault((day, column));

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!Person.IsOwnerTenant)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        Measure = Measures.Contains(Measure) ? Measure : "rows";
        var report = await monitoring.ReportAsync(Person.Principal, Dataset, cancellationToken);
        if (report.Refusal is { } refusal)
        {
            // A dataset not the owner's (an edited address): said at the picker, with the owner's own first dataset shown.
            var fallback = await monitoring.ReportAsync(Person.Principal, null, cancellationToken);
            Show(fallback.Value!);
            return Refused("Monitoring", refusal, new Dictionary<string, string> { [refusal.Code] = "dataset" });
        }
        Show(report.Value!);
        return Page();
    }

    private void Show(MonitoringReport report)
    {
        Report = report;
        Dataset = report.Dataset?.Id;
        Days = Enumerable.Range(0, report.To.DayNumber - report.From.DayNumber + 1)
            .Select(i => report.From.AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        Readers = report.Reads.GroupBy(r => r.TenantId, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(r => r.Requests), g.Sum(r => r.Rows), g.Count()))
            .OrderByDescending(r => r.Item3).ThenByDescending(r => r.Item2).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        var byMeasure = Readers.OrderByDescending(r => Measure == "requests" ? r.Requests : r.Rows).ThenBy(r => r.Tenant, StringComparer.Ordinal)
            .Select(r => r.Tenant).ToList();
        var drawn = byMeasure.Take(byMeasure.Count > ChartTenants ? ChartTenants - 1 : ChartTenants).ToHashSet(StringComparer.Ordinal);
        Columns = [.. byMeasure.Where(drawn.Contains), .. byMeasure.Count > drawn.Count ? [Others] : Array.Empty<string>()];
        foreach (var read in report.Reads)
        {
            var column = drawn.Contains(read.TenantId) ? read.TenantId : Others;
            var key = (read.Day, column);
            _cells[key] = _cells.GetValueOrDefault(key) + (Measure == "requests" ? read.Requests : read.Rows);
        }
    }
}
