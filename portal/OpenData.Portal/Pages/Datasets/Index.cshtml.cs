using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Platform.Catalogue;
using OpenData.Portal.Browsing;

namespace OpenData.Portal.Pages.Datasets;

/// <summary>
/// The catalogue: text search with facets (theme, owner, classification), sort and numbered pages. A plain GET form works
/// without script; with htmx, typing swaps only the results (facets and list) and keeps the address in step.
/// </summary>
internal sealed class IndexModel(CatalogueStore store, CatalogueBrowse browse) : PageModel
{
    public const int PageSize = 10;

    /// <summary>The id of the region htmx swaps.</summary>
    public const string ResultsId = "catalogue-results";

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Theme { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Owner { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Classification { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    [BindProperty(Name = "page", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public BrowseSort SortOrder { get; private set; }

    public IReadOnlyList<DatasetRow> Results { get; private set; } = [];

    public long Total { get; private set; }

    public int PageCount => (int)Math.Max(1, (Total + PageSize - 1) / PageSize);

    public CatalogueFacets Facets { get; private set; } = new([], [], []);

    public CatalogueNames Names { get; private set; } = new([], []);

    public static readonly string[] Classifications = ["open", "restricted", "sensitive"];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // What a person types is trimmed and bounded; an unknown facet value or sort falls back rather than failing the page.
        Q = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim()[..Math.Min(Q.Trim().Length, 200)];
        Classification = Classifications.Contains(Classification?.ToLowerInvariant()) ? Classification!.ToLowerInvariant() : null;
        SortOrder = Sort switch
        {
            "title" => BrowseSort.Title,
            "rows" => BrowseSort.Rows,
            "id" => BrowseSort.Id,
            _ => BrowseSort.Updated,
        };
        Sort = SortOrder == BrowseSort.Updated ? null : Sort;
        var filter = new BrowseFilter(Q, Theme, Owner, Classification);
        Names = await CatalogueNames.LoadAsync(store, cancellationToken);
        Facets = await browse.FacetsAsync(filter, cancellationToken);
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        (var rows, Total) = await browse.PageAsync(filter, SortOrder, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
        if (rows.Count == 0 && PageNumber > PageCount)
        {
            // A page past the end (the catalogue shrank, or a typed address) shows the last page.
            PageNumber = PageCount;
            (rows, Total) = await browse.PageAsync(filter, SortOrder, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
        }
        Results = rows;
        return Request.Headers["HX-Target"] == ResultsId ? Partial("_Results", this) : Page();
    }

    /// <summary>This catalogue's address with some parameters changed (null removes one); the page number resets unless given.</summary>
    public string Link(string? theme = "", string? owner = "", string? classification = "", int? page = null)
    {
        var query = new List<KeyValuePair<string, string?>>
        {
            new("q", Q),
            new("theme", theme == "" ? Theme : theme),
            new("owner", owner == "" ? Owner : owner),
            new("classification", classification == "" ? Classification : classification),
            new("sort", Sort),
            new("page", page is > 1 ? page.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null),
        };
        var pairs = query.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => new KeyValuePair<string, string>(p.Key, p.Value!));
        return "/datasets" + new QueryBuilder(pairs).ToQueryString();
    }
}
