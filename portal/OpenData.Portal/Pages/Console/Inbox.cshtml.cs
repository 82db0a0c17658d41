using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Access;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;
using OpenData.Platform.Marketplace;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Marketplace.Subscriptions;
using OpenData.Platform.Risk;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Developer;
using OpenData.Portal.Marketplace;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The approval inbox (待审批) of an owner's reviewers: the requests on the owner's datasets awaiting its decision, oldest first, each
/// with the requester's history with this owner and the re-identification risk of the view a grant would give
/// (<see cref="RiskMeter.ForGrantAsync"/>), measured again as the reviewer narrows the columns (htmx asks <c>?handler=Risk</c> for
/// the panel; without script the form's "recompute" button posts the whole form back). The decision goes through
/// <see cref="AccessService.DecideAsync"/>, with the rules and refusals of <c>POST /v1/access-requests/{id}/decision</c>.
/// For the platform's operators it is the second stage of sensitive (L3) data: the requests owners approved
/// (<c>owner_approved</c>), across every owner, with the columns and end the owner approved, the requester's history on the
/// whole platform and the same risk panel; their decision is the platform's. People who do not hold <c>access:review</c> are
/// refused (403).
/// </summary>
internal sealed class InboxModel(AccessService access, RiskMeter meter, DatasetDirectory directory, TenancyStore tenancy, TimeProvider clock,
    SubscriptionService subscriptions, ProductService products) : ConsolePageModel
{
    /// <summary>The form of a subscription's decision, whose refusals are worded by the resources' <c>Field.SubscriptionDecision.*</c>.</summary>
    private const string SubscriptionForm = "SubscriptionDecision";

    /// <summary>Whether the person reviews access requests (access:review); a provider's people who do not see the subscriptions only.</summary>
    public bool ReviewsAccess => Holds(Scopes.AccessReview);

    /// <summary>Whether the inbox shows the subscriptions to the tenant's products awaiting its decision (owners and licensed providers).</summary>
    public bool ShowsSubscriptions => IsProvider;

    /// <summary>The subscriptions to the tenant's products awaiting its decision, oldest first.</summary>
    public IReadOnlyList<SubscriptionView> PendingSubscriptions { get; private set; } = [];

    /// <summary>The subscribers' names and the products' titles, by id.</summary>
    public IReadOnlyDictionary<string, string> SubscriberNames { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, ShownText> ProductTitles { get; private set; } = new Dictionary<string, ShownText>();

    /// <summary>The subscription just decided, as it now stands.</summary>
    public SubscriptionView? SubscriptionDecided { get; private set; }

    /// <summary>The subscription whose decision was refused (its reason keeps what was typed), or null.</summary>
    public string? DecidingSubscription { get; private set; }

    [BindProperty]
    public string? SubscriptionId { get; set; }

    /// <summary>The form whose refusals are worded by the resources' <c>Field.Decide.*</c>.</summary>
    private const string Form = "Decide";

    /// <summary>The platform's day (as quotas count it and the portal shows dates): an end date is read in it.</summary>
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public IReadOnlyList<InboxItem> Items { get; private set; } = [];

    /// <summary>Whether the person decides the platform's stage (an operator) rather than an owner's.</summary>
    public bool PlatformStage => Holds(Scopes.PlatformAdmin);

    /// <summary>The state of the requests awaiting this person: submitted (an owner's reviewers) or owner-approved (the platform).</summary>
    private string Awaiting => PlatformStage ? AccessWorkflow.OwnerApproved : AccessWorkflow.Submitted;

    /// <summary>Why nothing is shown (a person who does not review requests), or null.</summary>
    public Refusal? ListRefusal { get; private set; }

    /// <summary>The request whose form was posted back (its fields keep what was typed and carry the refusals), or null.</summary>
    public string? Deciding { get; private set; }

    /// <summary>The request just decided, as it now stands.</summary>
    public AccessRequestView? Decided { get; private set; }

    /// <summary>Whether the decision came too late: someone else decided (or the requester withdrew) first, and the inbox was read again.</summary>
    public bool Raced { get; private set; }

    [BindProperty]
    public string? RequestId { get; set; }

    [BindProperty]
    public List<string> Columns { get; set; } = [];

    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>The last day of access when shorter than asked (<c>yyyy-MM-dd</c>, China Standard Time); empty for the duration asked.</summary>
    [BindProperty]
    public string? ExpiresOn { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ReviewsAccess && !(ShowsSubscriptions && MayDecideSubscriptions))
        {
            return ReviewersOnly();
        }
        await LoadAllAsync(null, cancellationToken);
        return Page();
    }

    /// <summary>
    /// A provider's decision on a subscription to one of its products: <see cref="SubscriptionService.DecideAsync"/>, the rules and
    /// refusals of <c>POST /v1/subscriptions/{id}/decision</c> (a rejection says why).
    /// </summary>
    public async Task<IActionResult> OnPostSubscriptionAsync(string? decision, CancellationToken cancellationToken)
    {
        if (!ShowsSubscriptions || !MayDecideSubscriptions)
        {
            ListRefusal = Refusal.Forbidden(MarketplaceErrors.NotProductProvider, "only the product's provider (tenant:admin or datasets:write) decides its subscriptions");
            Response.StatusCode = ListRefusal.Status;
            return Page();
        }
        var id = SubscriptionId ?? "";
        var decided = await subscriptions.DecideAsync(Person.Principal, id, new SubscriptionDecision(decision, Reason), cancellationToken);
        if (decided.Refusal is { } refusal)
        {
            await LoadAllAsync(null, cancellationToken);
            DecidingSubscription = PendingSubscriptions.Any(s => s.Id == id) ? id : null;
            return Refused(SubscriptionForm, refusal);
        }
        SubscriptionDecided = decided.Value;
        Reason = null;
        await LoadAllAsync(null, cancellationToken);
        if (!ReviewsAccess)
        {
            ViewData[InboxCountKey] = PendingSubscriptions.Count;
        }
        return Page();
    }

    /// <summary>The access requests (for reviewers) and the pending subscriptions (for providers).</summary>
    private async Task LoadAllAsync(string? deciding, CancellationToken cancellationToken)
    {
        if (ReviewsAccess)
        {
            await LoadAsync(deciding, cancellationToken);
        }
        if (!ShowsSubscriptions)
        {
            return;
        }
        PendingSubscriptions = [.. ((await subscriptions.ListAsync(Person.Principal, "provider", cancellationToken)).Value?.Items ?? [])
            .Where(s => s.Status == SubscriptionStatus.Pending).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal)];
        SubscriberNames = await MarketNames.ProvidersAsync(tenancy, PendingSubscriptions.Select(s => s.Tenant), cancellationToken);
        var titles = new Dictionary<string, ShownText>(StringComparer.Ordinal);
        foreach (var product in PendingSubscriptions.Select(s => s.ProductId).Distinct(StringComparer.Ordinal))
        {
            titles[product] = (await products.GetAsync(Person.Principal, product, cancellationToken)).Value is { } p ? PortalCulture.Text(p.Title, p.TitleEn) : new ShownText(product, null);
        }
        ProductTitles = titles;
    }

    /// <summary>The risk panel of one pending request for the columns checked (htmx swaps it in place).</summary>
    public async Task<IActionResult> OnGetRiskAsync(string? requestId, [FromQuery] List<string> columns, CancellationToken cancellationToken)
    {
        if (!Holds(Scopes.AccessReview))
        {
            return ReviewersOnly();
        }
        var request = requestId is null ? null : (await access.GetAsync(Person.Principal, requestId, cancellationToken)).Value;
        if (request is null || (!PlatformStage && request.Owner != Person.Tenant.Id) || request.Status != Awaiting)
        {
            // Decided or withdrawn meanwhile (or never this owner's): the panel says so, and the next decision reloads the inbox.
            return Partial("_InboxRisk", new InboxRisk(requestId ?? "", [], null, Gone: true));
        }
        var dataset = await directory.FindAsync(request.DatasetId, cancellationToken);
        var asked = Asked(request, dataset);
        return Partial("_InboxRisk", await RiskAsync(request, asked, columns.Where(asked.Contains).Distinct().ToList(), cancellationToken));
    }

    /// <summary>Without script: the form posted back to measure the risk of the columns checked, keeping what was typed.</summary>
    public async Task<IActionResult> OnPostRecomputeAsync(CancellationToken cancellationToken)
    {
        if (!Holds(Scopes.AccessReview))
        {
            return ReviewersOnly();
        }
        await LoadAllAsync(RequestId, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDecideAsync(string? decision, CancellationToken cancellationToken)
    {
        if (!Holds(Scopes.AccessReview))
        {
            return ReviewersOnly();
        }
        var id = RequestId ?? "";
        DateTimeOffset? expiresAt = null;
        if (!string.IsNullOrWhiteSpace(ExpiresOn))
        {
            if (!DateOnly.TryParseExact(ExpiresOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                await LoadAllAsync(id, cancellationToken);
                return Refused(Form, Refusal.Validation(new Dictionary<string, string[]> { ["expiresAt"] = ["expiresOn is a date, yyyy-MM-dd"] }));
            }
            // Access ends as the day begins in China Standard Time, the platform's day.
            expiresAt = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), ChinaStandardTime);
        }
        var request = (await access.GetAsync(Person.Principal, id, cancellationToken)).Value;
        var dataset = request is null ? null : await directory.FindAsync(request.DatasetId, cancellationToken);
        var asked = request is null ? [] : Asked(request, dataset);
        // The columns go with an approval only when narrowed, so "all columns" stays all of them (new ones included) as asked.
        // A verify request names no columns (the owner's verification decides what is compared): there is nothing to narrow.
        var narrowed = decision == "approve" && request?.Kind != AccessKind.Verify && !(Columns.Count == asked.Count && asked.All(Columns.Contains));
        var decided = await access.DecideAsync(Person.Principal, id,
            new AccessDecision(decision, Reason, narrowed ? Columns.Distinct().ToList() : null, decision == "approve" ? expiresAt : null), cancellationToken);
        if (decided.Refusal is { } refusal)
        {
            if (refusal.Code == AccessErrors.InvalidTransition)
            {
                // Too late: the request is no longer awaiting a decision. The inbox is read afresh; the form's typing is dropped.
                Raced = true;
                await LoadAllAsync(null, cancellationToken);
                Response.StatusCode = refusal.Status;
                return Page();
            }
            await LoadAllAsync(refusal.Errors is { Count: > 0 } ? id : null, cancellationToken);
            return Refused(Form, refusal);
        }
        Decided = decided.Value;
        RequestId = null;
        Reason = null;
        ExpiresOn = null;
        Columns = [];
        await LoadAllAsync(null, cancellationToken);
        ViewData[InboxCountKey] = Items.Count;
        return Page();
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult ReviewersOnly()
    {
        ListRefusal = Refusal.Forbidden(CommonErrors.InsufficientScope, "this needs the access:review scope");
        Response.StatusCode = ListRefusal.Status;
        return Page();
    }

    /// <summary>
    /// Reads the pending requests (oldest first) with their requesters' history; <paramref name="deciding"/>, the request whose form
    /// was posted back, keeps the columns checked (and its risk is measured for them).
    /// </summary>
    private async Task LoadAsync(string? deciding, CancellationToken cancellationToken)
    {
        // An owner's reviewers decide the owner's stage on its datasets (an L3 request the owner approved awaits the platform, not
        // this inbox); the operator decides the platform's stage, whoever the owner, and weighs the requester's whole history.
        var owner = PlatformStage ? null : Person.Tenant.Id;
        var pending = ((await access.ListAsync(Person.Principal, "reviewer", Awaiting, cancellationToken)).Value?.Items ?? [])
            .Where(r => owner is null || r.Owner == owner).OrderBy(r => r.UpdatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        Deciding = pending.Any(r => r.Id == deciding) ? deciding : null;
        if (pending.Count == 0)
        {
            Items = [];
            return;
        }
        var all = ((await access.ListAsync(Person.Principal, "reviewer", null, measureRisk: false, cancellationToken)).Value?.Items ?? [])
            .Where(r => owner is null || r.Owner == owner).ToList();
        var grants = (await access.ListGrantsAsync(Person.Principal, cancellationToken)).Items.Where(g => owner is null || g.Owner == owner).ToList();
        var datasets = new Dictionary<string, DatasetSchema?>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var items = new List<InboxItem>(pending.Count);
        foreach (var request in pending)
        {
            if (!datasets.TryGetValue(request.DatasetId, out var dataset))
            {
                datasets[request.DatasetId] = dataset = await directory.FindAsync(request.DatasetId, cancellationToken);
            }
            if (!names.TryGetValue(request.Requester, out var name))
            {
                names[request.Requester] = name = (await tenancy.TenantAsync(request.Requester, cancellationToken))?.Name ?? request.Requester;
            }
            var asked = Asked(request, dataset);
            var chosen = request.Id == Deciding ? Columns.Where(asked.Contains).Distinct().ToList() : asked;
            var risk = chosen.Count == asked.Count
                ? new InboxRisk(request.Id, chosen, request.Risk, Gone: false)
                : await RiskAsync(request, asked, chosen, cancellationToken);
            items.Add(new InboxItem(
                request, name, dataset, asked.Select(c => (c, dataset?.FindColumn(c)?.Title ?? c)).ToList(), chosen, risk,
                all.Where(r => r.Requester == request.Requester && r.Id != request.Id).OrderByDescending(r => r.CreatedAt).ToList(),
                grants.Where(g => g.Tenant == request.Requester).OrderByDescending(g => g.CreatedAt).ToList(),
                DateOnly.FromDateTime(now.ToOffset(ChinaStandardTime).DateTime).AddDays(1),
                DateOnly.FromDateTime((OwnerApproval(request)?.ExpiresAt ?? now.AddDays(request.DurationDays)).ToOffset(ChinaStandardTime).DateTime),
                OwnerApproval(request)));
        }
        Items = items;
    }

    /// <summary>
    /// The columns in question: at the platform's stage those the owner approved; else those the request names; or all the dataset's.
    /// </summary>
    private static List<string> Asked(AccessRequestView request, DatasetSchema? dataset) =>
        OwnerApproval(request)?.Columns?.ToList() ?? request.Columns?.ToList() ?? dataset?.Columns.Select(c => c.Name).ToList() ?? [];

    /// <summary>The owner's approval a request at the platform's stage awaits on (its columns, end and reason), or null.</summary>
    private static AccessRequestEvent? OwnerApproval(AccessRequestView request) =>
        request.Status == AccessWorkflow.OwnerApproved ? request.History.LastOrDefault(h => h.To == AccessWorkflow.OwnerApproved) : null;

    private async Task<InboxRisk> RiskAsync(AccessRequestView request, List<string> asked, List<string> chosen, CancellationToken cancellationToken) =>
        chosen.Count == 0
            ? new InboxRisk(request.Id, chosen, null, Gone: false)
            : new InboxRisk(request.Id, chosen, await meter.ForGrantAsync(request.DatasetId, request.Requester,
                chosen.Count == asked.Count && request.Columns is null ? null : chosen, cancellationToken), Gone: false);

    /// <summary>The HTML id of a request's risk panel, which htmx replaces.</summary>
    public static string RiskId(string requestId) => "risk-" + requestId;
}

/// <summary>
/// A pending request as the inbox shows it: the request, its requester's name and the dataset; <c>Columns</c>, the columns asked
/// for (name, title), each a checkbox; <c>Chosen</c>, those checked (all asked, or the reviewer's narrowing) and their <c>Risk</c>;
/// <c>Earlier</c> and <c>Grants</c>, the requester's other requests and its grants on this owner's datasets, newest first;
/// <c>FirstDay</c> and <c>LatestDay</c>, the first and last end dates a grant may have (tomorrow; the duration asked, from now, or
/// the end the owner approved); <c>OwnerApproval</c>, at the platform's stage, the owner's approval it follows.
/// </summary>
internal sealed record InboxItem(
    AccessRequestView Request, string RequesterName, DatasetSchema? Dataset, IReadOnlyList<(string Name, string Title)> Columns, IReadOnlyList<string> Chosen,
    InboxRisk Risk, IReadOnlyList<AccessRequestView> Earlier, IReadOnlyList<GrantView> Grants, DateOnly FirstDay, DateOnly LatestDay,
    AccessRequestEvent? OwnerApproval = null);

/// <summary>
/// The risk panel of a request: the risk of a grant of <c>Columns</c> (null when none is checked or nothing is published);
/// <c>Gone</c> when the request no longer awaits a decision.
/// </summary>
internal sealed record InboxRisk(string RequestId, IReadOnlyList<string> Columns, ReidentificationRisk? Risk, bool Gone);
