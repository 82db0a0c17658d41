using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Quotas;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Browsing;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The tenant's usage as <see cref="QuotaReports"/> answers <c>GET /v1/usage</c> (a date range, grouped per day, dataset or
/// app, each chart with its table), today's quota as <c>GET /v1/quota</c> answers it for the tenant, and the tenant's request
/// log of the last 7 days as <c>GET /v1/usage/requests</c> (htmx fetches older pages into the table).
/// </summary>
internal sealed class UsageModel(QuotaReports reports, TenancyService tenancy, CatalogueStore catalogue) : ConsolePageModel
{
    /// <summary>The id of the log's last row, which htmx replaces with the next page.</summary>
    public const string MoreId = "usage-log-more";

    public static readonly string[] Groups = ["day", "dataset", "app"];

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Group { get; set; }

    /// <summary>The request log's page key (<see cref="RequestLogPage.Next"/> of the page before).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Before { get; set; }

    public UsageReport? Report { get; private set; }

    /// <summary>The report's rows summed per <see cref="Group"/>, in the chart's order.</summary>
    public IReadOnlyList<UsageLine> Lines { get; private set; } = [];

    public QuotaStatus? Quota { get; private set; }

    public RequestLogPage? Log { get; private set; }

    private Dictionary<string, string> _apps = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Group = Groups.Contains(Group) ? Group : "day";
        _apps = ((await tenancy.ListAppsAsync(Person.Principal, Person.Tenant.Id, cancellationToken)).Value?.Items ?? [])
            .GroupBy(a => a.ClientId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        var log = await reports.RequestsAsync(Person.Principal, null, null, Before, null, null, cancellationToken);
        // A page key that does not read (an edited address) starts the log again from the newest request.
        Log = log.Value ?? (await reports.RequestsAsync(Person.Principal, null, null, null, null, null, cancellationToken)).Value;
        if (Request.Headers["HX-Target"] == MoreId)
        {
            return Partial("_UsageLogRows", this);
        }
        Quota = await reports.StatusAsync(Person.Principal, cancellationToken);
        var usage = await reports.UsageAsync(Person.Principal, From, To, null, cancellationToken);
        if (usage.Refusal is { } refusal)
        {
            return Refused("Usage", refusal);
        }
        Report = usage.Value!;
        From = Report.From;
        To = Report.To;
        Lines = await LinesAsync(Report, cancellationToken);
        return Page();
    }

    /// <summary>The name of an app by its client id (the app may have been deleted: its id, or "no app" for requests without one).</summary>
    public string AppName(string clientId, Microsoft.Extensions.Localization.IStringLocalizer text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return clientId.Length == 0 ? text["Usage.NoApp"] : _apps.GetValueOrDefault(clientId, clientId);
    }

    /// <summary>The address of this page with the log's page key (the link htmx follows, or a browser without script).</summary>
    public string OlderHref(string next) =>
        "/console/usage?" + string.Join('&', new[] { ("from", From), ("to", To), ("group", Group), ("before", next) }
            .Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => p.Item1 + "=" + Uri.EscapeDataString(p.Item2!))) + "#log";

    private async Task<IReadOnlyList<UsageLine>> LinesAsync(UsageReport report, CancellationToken cancellationToken)
    {
        var text = HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<PortalText>>();
        static UsageLine Sum(string key, string label, IEnumerable<UsageRow> rows)
        {
            var list = rows.ToList();
            return new UsageLine(key, label, list.Sum(r => r.Requests), list.Sum(r => r.Rows), list.Sum(r => r.Errors), list.Sum(r => r.Throttled));
        }
        switch (Group)
        {
            case "dataset":
                var ids = report.Items.Select(r => r.Dataset).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToList();
                var titles = (await catalogue.RowsAsync(ids, cancellationToken)).ToDictionary(d => d.Id, d => d.ShownTitle(), StringComparer.Ordinal);
                return report.Items.GroupBy(r => r.Dataset, StringComparer.Ordinal)
                    .Select(g => g.Key.Length == 0 ? Sum(g.Key, text["Usage.NoDataset"], g)
                        : titles.TryGetValue(g.Key, out var title) ? Sum(g.Key, title.Text, g) with { Lang = title.Lang } : Sum(g.Key, g.Key, g))
                    .OrderByDescending(l => l.Requests).ThenBy(l => l.Key, StringComparer.Ordinal).ToList();
            case "app":
                return report.Items.GroupBy(r => r.App, StringComparer.Ordinal)
                    .Select(g => Sum(g.Key, AppName(g.Key, text), g))
                    .OrderByDescending(l => l.Requests).ThenBy(l => l.Key, StringComparer.Ordinal).ToList();
            default:
                // Every day of the range, the quiet ones too, so the chart's axis is the calendar.
                var byDay = report.Items.ToLookup(r => r.Day, StringComparer.Ordinal);
                var first = DateOnly.ParseExact(report.From, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                var last = DateOnly.ParseExact(report.To, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                var lines = new List<UsageLine>();
                for (var n = 0; n <= last.DayNumber - first.DayNumber; n++)
                {
                    var key = first.AddDays(n).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    lines.Add(Sum(key, key, byDay[key]));
                }
                return lines;
        }
    }
}

/// <summary>One line of the usage table (and one point of its chart): a day, dataset or app with its counts.</summary>
internal sealed record UsageLine(string Key, string Label, long Requests, long Rows, long Errors, long Throttled, string? Lang = null);
