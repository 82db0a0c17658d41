using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Platform.Access;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;
using OpenData.Platform.Quotas;
using OpenData.Platform.Records;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Browsing;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Datasets;

/// <summary>
/// A dataset's page: metadata, the data dictionary with what this caller sees of each column, a preview of the rows through
/// the caller's view (the records API's own read path, quotas and audit included), versions, API links and code snippets.
/// </summary>
internal sealed class DetailModel(CatalogueStore store, ICallerViewResolver views, RecordReader reader, TenancyService tenancy, TenancyStore people, AccessService access,
    OpenData.Platform.Analytics.Verification.VerificationStore verifications) : PageModel
{
    /// <summary>The id of the region htmx swaps when paging the preview.</summary>
    public const string PreviewId = "preview";

    public DatasetRow Dataset { get; private set; } = new();

    public IReadOnlyList<ColumnView> Columns { get; private set; } = [];

    public IReadOnlyList<VersionRow> Versions { get; private set; } = [];

    public DatasetAccess Access { get; private set; }

    public CatalogueNames Names { get; private set; } = new([], []);

    public RecordPreview Preview { get; private set; } = null!;

    public CodeSnippets Snippets { get; private set; } = null!;

    public bool SignedIn { get; private set; }

    /// <summary>The try-it console with this dataset and the snippets' filter filled in.</summary>
    public string TryItLink { get; private set; } = "/console/try";

    public bool Found { get; private set; }

    public string ApiBase { get; private set; } = "";

    /// <summary>The signed-in person's latest request for this dataset (its status is shown), when rows need a grant.</summary>
    public AccessRequestView? LatestRequest { get; private set; }

    /// <summary>The "request access" form, for a signed-in person who may ask and has no open request.</summary>
    public AccessRequestForm? RequestForm { get; private set; }

    /// <summary>Whether the signed-in person's role may ask for access (a reviewer may not).</summary>
    public bool MayRequest { get; private set; }

    /// <summary>Why quota admission refused this request, when it did: the page shows that and nothing of the dataset.</summary>
    public QuotaRefusalNotice? Refused { get; private set; }

    /// <summary>
    /// Before any handler: a request quota admission refused (the page is <c>Metered.ShowingRefusal</c>) is answered with the
    /// refusal — the whole page, or for htmx's preview paging the fragment — and no dataset is read and no row spent. The
    /// status (429), <c>Retry-After</c> and the RateLimit headers are admission's.
    /// </summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (HttpContext.Features.Get<QuotaRefusal>() is not { } refusal)
        {
            await next();
            return;
        }
        var id = RouteData.Values["id"] as string ?? "";
        Dataset = new DatasetRow { Id = id };
        Refused = new QuotaRefusalNotice(refusal, "/datasets/" + Uri.EscapeDataString(id));
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Result = context.HandlerMethod?.Name == "Preview" ? Partial("_QuotaRefused", Refused) : Page();
    }

    public async Task<IActionResult> OnGetAsync(string id, string? cursor, long? from, CancellationToken cancellationToken)
    {
        var caller = await CallerAsync();
        SignedIn = caller.Identity?.IsAuthenticated == true;
        var found = await store.GetAsync(id, cancellationToken);
        if (found is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            Names = await CatalogueNames.LoadAsync(store, cancellationToken);
            Dataset = new DatasetRow { Id = id };
            return Page();
        }
        Found = true;
        var (row, columns, versions) = found.Value;
        // The twin's report is the owner's (and the operators'): the page links to it for them only.
        var tenant = caller.TenantId();
        ShowsTwinReport = tenant is not null && (string.Equals(tenant, row.OwnerId, StringComparison.Ordinal) || tenant == PlatformTenant);
        var schema = DatasetDirectory.ToSchema(row, columns);
        var view = await views.ResolveAsync(caller, schema, cancellationToken);
        (Dataset, Versions, Access) = (row, versions, view.Access);
        Columns = CatalogueEndpoints.ColumnsFor(schema, view);
        Names = await CatalogueNames.LoadAsync(store, cancellationToken);
        Lineage = await store.LineageAsync(id, cancellationToken);
        ApiBase = PublicUrl.Base(Request);
        Preview = await ReadPreviewAsync(caller, id, cursor, from, row.RowCount, cancellationToken);
        var query = SnippetQuery(view, Preview);
        Snippets = CodeSnippets.For(ApiBase, id, query, needsToken: row.ParsedClassification != Classification.Open);
        TryItLink = "/console/try" + QueryString.Create(query.Where(p => p.Name == "where").Select(p => new KeyValuePair<string, string?>(p.Name, p.Value))
            .Prepend(new("dataset", id)));
        if (SignedIn && Access is not (DatasetAccess.Open or DatasetAccess.Granted))
        {
            await LoadRequestAsync(id, columns, cancellationToken);
        }
        return Page();
    }

    /// <summary>The person's latest request for the dataset, and the form to ask (again) when none is open.</summary>
    private async Task LoadRequestAsync(string id, List<ColumnRow> columns, CancellationToken cancellationToken)
    {
        if (await ConsolePerson.ResolveAsync(HttpContext, people) is not { } person)
        {
            return;
        }
        MayRequest = person.MayRequestAccess;
        var requests = (await access.ListAsync(person.Principal, "requester", null, cancellationToken)).Value?.Items ?? [];
        LatestRequest = requests.Where(r => r.DatasetId == id).MaxBy(r => r.CreatedAt);
        if (!MayRequest || LatestRequest is { } latest && AccessWorkflow.Open.Contains(latest.Status))
        {
            return;
        }
        var apps = (await tenancy.ListAppsAsync(person.Principal, person.Tenant.Id, cancellationToken)).Value?.Items ?? [];
        RequestForm = new AccessRequestForm(id, columns.Select(c => (c.Name, string.IsNullOrEmpty(c.Title) ? c.Name : c.Title)).ToList(),
            apps.Where(a => !a.Disabled).Select(a => (a.ClientId, a.Name)).ToList(), null, null, AccessRequestForm.DefaultDurationDays, null, ModelState,
            Verifiable: await verifications.FindAsync(Dataset.Key, cancellationToken) is not null);
    }

    /// <summary>The next page of the preview, for htmx: the preview region alone.</summary>
    public async Task<IActionResult> OnGetPreviewAsync(string id, string? cursor, long? from, CancellationToken cancellationToken)
    {
        var caller = await CallerAsync();
        var found = await store.GetAsync(id, cancellationToken);
        if (found is null)
        {
            return NotFound();
        }
        var preview = await ReadPreviewAsync(caller, id, cursor, from, found.Value.Dataset.RowCount, cancellationToken);
        // The fragment saying why there are no rows keeps the status only for the quota (429, which portal.js swaps in and usage
        // counts as throttled); htmx swaps no other error, so an expired cursor's fragment is a 200.
        if (Response.StatusCode != StatusCodes.Status429TooManyRequests)
        {
            Response.StatusCode = StatusCodes.Status200OK;
        }
        return Partial("_Preview", preview);
    }

    /// <summary>Whether the signed-in person works in the sandbox (the console's switch): the page then reads the synthetic twin.</summary>
    public bool Sandbox { get; private set; }

    /// <summary>Whether the page links to the twin's report: for the dataset's owner and the platform's operators.</summary>
    public bool ShowsTwinReport { get; private set; }

    /// <summary>The datasets this one was derived from, and those derived from it (lineage), each with its owner.</summary>
    public (IReadOnlyList<DatasetSource> Sources, IReadOnlyList<DatasetSource> Derived) Lineage { get; private set; } = ([], []);

    /// <summary>The tenant of the platform's operators.</summary>
    private const string PlatformTenant = "platform";

    /// <summary>
    /// Whose view the page shows: the signed-in person (anyone else is anonymous); in sandbox mode, the person as a sandbox caller
    /// of their tenant, whom the read path serves the version's twin — no grant needed, and no real row.
    /// </summary>
    private async Task<ClaimsPrincipal> CallerAsync()
    {
        var caller = await PortalCaller.ResolveAsync(HttpContext);
        Sandbox = caller.Identity?.IsAuthenticated == true && PortalEnvironment.IsSandbox(HttpContext);
        return Sandbox ? PortalEnvironment.AsSandbox(caller) : caller;
    }

    private async Task<RecordPreview> ReadPreviewAsync(ClaimsPrincipal caller, string id, string? cursor, long? from, long total, CancellationToken cancellationToken)
    {
        var start = cursor is null ? 0 : Math.Max(0, from ?? 0);
        // The rows are spent from the quota subject the admission resolved for this request, as on GET /v1/datasets/{id}/records.
        var read = await reader.ReadPageAsync(ReadCaller.Of(HttpContext, caller), id,
            new RecordRequest(Limit: RecordPreview.PageSize, Cursor: cursor), cancellationToken);
        var (page, refusal) = (read.Value, read.Refusal);
        if (page is null)
        {
            if (refusal!.Status == StatusCodes.Status429TooManyRequests)
            {
                // As the records route answers it: the day's rows are spent until the reset Retry-After names.
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (refusal.RetryAfter is { } retryAfter)
                {
                    Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                }
            }
            return new RecordPreview(id, [], [], start, total, null, refusal, Sandbox);
        }
        var rows = page.Rows.Select(cells => cells.Select(Shown.Cell).ToArray()).ToList();
        return new RecordPreview(id, page.Columns, rows, start, total, page.Next, null, Sandbox);
    }

    /// <summary>
    /// A query that works for this caller: up to three visible columns, and where the preview offers one, a filter on a
    /// filterable column by a value that several (not all) of the shown rows share.
    /// </summary>
    private static List<(string Name, string Value)> SnippetQuery(CallerView view, RecordPreview preview)
    {
        var query = new List<(string, string)>();
        var visible = view.VisibleColumns;
        if (visible.Count > 3)
        {
            query.Add(("select", string.Join(",", visible.Take(3).Select(c => c.Name))));
        }
        string? where = null;
        var best = 0;
        for (var i = 0; i < preview.Columns.Count; i++)
        {
            var column = preview.Columns[i];
            if (!view.CanFilterOn(column) || column.Type is not (ColumnType.String or ColumnType.Integer))
            {
                continue;
            }
            var top = preview.Rows.Where(r => r[i] is not null).GroupBy(r => r[i]).OrderByDescending(g => g.Count()).FirstOrDefault();
            if (top is null)
            {
                continue;
            }
            // Several rows but not all: a filter that narrows and still finds something. Any value beats none.
            var score = top.Count() > 1 && top.Count() < preview.Rows.Count ? 2 : 1;
            if (score > best)
            {
                best = score;
                var value = top.Key!;
                where = column.Type == ColumnType.String ? $"{column.Name} = '{value.Replace("'", "''", StringComparison.Ordinal)}'" : $"{column.Name} = {value}";
            }
        }
        if (where is not null)
        {
            query.Add(("where", where));
        }
        query.Add(("limit", "10"));
        return query;
    }

    /// <summary>The dataset's classification as the resources name it (<c>open</c>, <c>restricted</c>, <c>sensitive</c>).</summary>
    public string ClassificationKey => Dataset.Classification.ToLowerInvariant();
}
