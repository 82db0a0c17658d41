using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Access;
using OpenData.Platform.Audit;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The audit trail as <c>GET /v1/audit</c> shows it to the signed-in person's tenant (<see cref="AuditService"/> with the person's
/// principal): for an owner, who read which of its datasets, under which grant, how many rows and when, with the decisions and
/// grant events on them; for an operator, the whole platform's; for anyone else, what their own tenant did (the tab is shown
/// to owners and operators only). Filters by dataset, acting tenant and days (China Standard Time), newest first a page at a
/// time; "export" streams every entry of the filter as CSV (formulas defused). Owners and operators see the chain's check
/// (<see cref="AuditService.VerifyAsync"/>: ok, entries, head, and the first broken entry if any) at the top.
/// </summary>
internal sealed class AuditModel(AuditService audit, AccessService access) : ConsolePageModel
{
    public const int PageSize = 50;

    private const string Form = "Audit";

    /// <summary>The platform's day (as quotas count it and the portal shows dates): a day of the filter is read in it.</summary>
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    [BindProperty(SupportsGet = true, Name = "dataset")]
    public string? DatasetId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Tenant { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    /// <summary>The page key: the <see cref="AuditPage.Next"/> of the page before (entries older than it).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Before { get; set; }

    public IReadOnlyList<AuditLine> Entries { get; private set; } = [];

    /// <summary>The key of the next (older) page, or null on the last.</summary>
    public string? Next { get; private set; }

    /// <summary>The chain's check, for owners and operators (null for anyone else).</summary>
    public AuditVerification? Chain { get; private set; }

    /// <summary>Whether the person sees the whole platform's trail (an operator).</summary>
    public bool Everything => Holds(Scopes.PlatformAdmin);

    /// <summary>Whether the person's tenant owns data or runs the platform (the chain's check is theirs to see).</summary>
    public bool Accountable => Everything || Holds(Scopes.DatasetsWrite) || Holds(Scopes.AccessReview);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Accountable && (await audit.VerifyAsync(Person.Principal, full: false, cancellationToken)).Value is { } chain)
        {
            Chain = chain;
        }
        if (Filter() is not { } browse)
        {
            return Refused(Form, Invalid!);
        }
        var page = await audit.PageAsync(AuditService.Browse(Person.Principal, browse), cancellationToken);
        Next = page.Next;
        Entries = await LinesAsync(page.Items, cancellationToken);
        return Page();
    }

    /// <summary>Every entry of the filter (not just this page) as CSV, in chain order; the cells a spreadsheet would run are defused.</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        if (Filter() is not { } browse)
        {
            return Refused(Form, Invalid!);
        }
        await using var rows = await audit.StreamAsync(AuditService.Browse(Person.Principal, browse with { Before = null }), cancellationToken);
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = Attachment.ContentDisposition("audit.csv");
        await AuditCsv.WriteAsync(Response, rows, defuse: true, cancellationToken);
        return new EmptyResult();
    }

    private Refusal? Invalid { get; set; }

    /// <summary>The form as a reading of the trail, or null (and <see cref="Invalid"/> set) when a day or the page key does not read.</summary>
    private AuditBrowseRequest? Filter()
    {
        var errors = new Dictionary<string, string[]>();
        var first = Day(From, "from", errors);
        var last = Day(To, "to", errors);
        if (first is not null && last is not null && first > last)
        {
            errors["from"] = ["from must not be after to"];
        }
        long? before = null;
        if (!string.IsNullOrEmpty(Before))
        {
            if (long.TryParse(Before, NumberStyles.None, CultureInfo.InvariantCulture, out var key))
            {
                before = key;
            }
            else
            {
                // An edited address starts again from the newest entry.
                Before = null;
            }
        }
        if (errors.Count > 0)
        {
            Invalid = Refusal.Validation(errors);
            return null;
        }
        // A day runs from its midnight to the next, China Standard Time; the last day is included.
        return new AuditBrowseRequest(DatasetId, Tenant,
            first is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), ChinaStandardTime) : null,
            last is { } l ? new DateTimeOffset(l.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaStandardTime).AddTicks(-10) : null,
            before, PageSize);
    }

    private static DateOnly? Day(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }
        errors[name] = [$"{name} is a day written yyyy-MM-dd"];
        return null;
    }

    /// <summary>The entries as the table shows them: reads with their rows and the grant they were read under.</summary>
    private async Task<IReadOnlyList<AuditLine>> LinesAsync(IReadOnlyList<AuditEntryView> entries, CancellationToken cancellationToken)
    {
        var reads = entries.Where(e => e.Type is "records.read" or "records.exported").ToList();
        var grants = reads.Count == 0 ? [] : (await access.ListGrantsAsync(Person.Principal, cancellationToken)).Items;
        return entries.Select(e =>
        {
            long? rows = e.Details.ValueKind == JsonValueKind.Object && e.Details.TryGetProperty("rows", out var r) && r.TryGetInt64(out var n) ? n : null;
            // The grant the read was served under: the reader's grant on the dataset that was in force at the time (none for the owner's own reads).
            var grant = rows is null ? null : grants.Where(g => g.Tenant == e.ActorTenant && g.DatasetId == e.DatasetId && g.CreatedAt <= e.At
                    && (g.RevokedAt is null || g.RevokedAt > e.At) && g.ExpiresAt > e.At)
                .OrderByDescending(g => g.CreatedAt).FirstOrDefault()?.Id;
            return new AuditLine(e, rows, grant, Summary(e.Details));
        }).ToList();
    }

    /// <summary>The details in a line (names and values; never personal values, as the trail records none).</summary>
    private static string Summary(JsonElement details)
    {
        if (details.ValueKind != JsonValueKind.Object)
        {
            return "";
        }
        return string.Join("; ", details.EnumerateObject()
            .Where(p => p.Value.ValueKind != JsonValueKind.Null && p.Name is not "rows")
            .Select(p => p.Name + ": " + (p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())));
    }

    /// <summary>The address of this page with the filter and another page key (null: the newest entries).</summary>
    public string Href(string? before, string? handler = null) =>
        "/console/audit?" + string.Join('&', new[] { ("handler", handler), ("dataset", DatasetId), ("tenant", Tenant), ("from", From), ("to", To), ("before", before) }
            .Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => p.Item1 + "=" + Uri.EscapeDataString(p.Item2!)));
}

/// <summary>An audit entry as the page's table shows it: the entry, the rows read (reads only), the grant a read was served under, the details in words.</summary>
internal sealed record AuditLine(AuditEntryView Entry, long? Rows, string? Grant, string Details);
