using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Access;
using OpenData.Platform.Catalogue;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The tenant's access requests with their whole history, and its grants with their expiry, as <see cref="AccessService"/>
/// answers <c>GET /v1/access-requests?role=requester</c> and <c>GET /v1/grants</c> (the tenant's own grants only). Drafts (made
/// when a sandbox app was promoted to live) come first, each with a form to complete it (purpose, columns, duration), save it
/// and submit it: <c>PATCH /v1/access-requests/{id}</c> and <c>POST …/submit</c>, the same rules and codes.
/// </summary>
internal sealed class RequestsModel(AccessService access, CatalogueStore catalogue) : ConsolePageModel
{
    public IReadOnlyList<AccessRequestView> Requests { get; private set; } = [];

    public IReadOnlyList<GrantView> Grants { get; private set; } = [];

    /// <summary>The drafts still to complete, with their dataset's columns (name, title) to choose from.</summary>
    public IReadOnlyList<(AccessRequestView Draft, IReadOnlyList<(string Name, string Title)> Columns)> Drafts { get; private set; } = [];

    /// <summary>The request just submitted from a dataset page, to point out.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Submitted { get; set; }

    /// <summary>The draft the form posted (its fields keep what was entered, with the service's reasons).</summary>
    [BindProperty]
    public string? RequestId { get; set; }

    [BindProperty]
    public string? Purpose { get; set; }

    [BindProperty]
    public List<string>? Columns { get; set; }

    [BindProperty]
    public int? DurationDays { get; set; }

    /// <summary>What just happened to <see cref="RequestId"/>: <c>saved</c> or <c>submitted</c>.</summary>
    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken) => DraftAsync(submit: false, cancellationToken);

    public Task<IActionResult> OnPostSubmitAsync(CancellationToken cancellationToken) => DraftAsync(submit: true, cancellationToken);

    private async Task<IActionResult> DraftAsync(bool submit, CancellationToken cancellationToken)
    {
        if (!Person.MayRequestAccess)
        {
            await LoadAsync(cancellationToken);
            return Refused("RequestAccess", Platform.Common.Refusal.Forbidden(Platform.Common.CommonErrors.InsufficientScope, "this needs the access:request scope"));
        }
        var change = new AccessDraftChange(Columns ?? [], Purpose ?? "", DurationDays, null);
        var outcome = submit
            ? await access.SubmitDraftAsync(Person.Principal, RequestId ?? "", change, cancellationToken)
            : await access.EditDraftAsync(Person.Principal, RequestId ?? "", change, cancellationToken);
        await LoadAsync(cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            return Refused("RequestAccess", refusal);
        }
        Done = submit ? "submitted" : "saved";
        if (submit)
        {
            Submitted = RequestId;
        }
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Requests = (await access.ListAsync(Person.Principal, "requester", null, cancellationToken)).Value?.Items ?? [];
        Grants = (await access.ListGrantsAsync(Person.Principal, cancellationToken)).Items.Where(g => g.Tenant == Person.Tenant.Id).ToList();
        var drafts = new List<(AccessRequestView, IReadOnlyList<(string, string)>)>();
        foreach (var draft in Requests.Where(r => r.Status == AccessWorkflow.Draft))
        {
            var found = await catalogue.GetAsync(draft.DatasetId, cancellationToken);
            drafts.Add((draft, found?.Columns.Select(c => (c.Name, string.IsNullOrEmpty(c.Title) ? c.Name : c.Title)).ToList() ?? []));
        }
        Drafts = drafts;
    }

    /// <summary>Whether the form of <paramref name="draft"/> shows what was just posted (refused) rather than the draft as stored.</summary>
    public bool IsPosted(AccessRequestView draft) => Request.Method == "POST" && Done is null && draft.Id == RequestId;
}
