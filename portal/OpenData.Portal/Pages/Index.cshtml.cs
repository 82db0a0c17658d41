using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Platform.Catalogue;
using OpenData.Portal.Browsing;

namespace OpenData.Portal.Pages;

/// <summary>The home page: search, themes with their counts, recently updated datasets, the platform's figures.</summary>
internal sealed class IndexModel(CatalogueStore store, CatalogueBrowse browse) : PageModel
{
    public const int Recent = 6;

    public CatalogueFigures Figures { get; private set; } = new();

    public CatalogueNames Names { get; private set; } = new([], []);

    public IReadOnlyList<FacetCount> ThemeCounts { get; private set; } = [];

    public IReadOnlyList<DatasetRow> RecentlyUpdated { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Figures = await browse.FiguresAsync(cancellationToken);
        Names = await CatalogueNames.LoadAsync(store, cancellationToken);
        ThemeCounts = (await browse.FacetsAsync(new BrowseFilter(null, null, null, null), cancellationToken)).Themes;
        RecentlyUpdated = (await browse.PageAsync(new BrowseFilter(null, null, null, null), BrowseSort.Updated, 0, Recent, cancellationToken)).Rows;
    }

    public long CountOf(string theme) => ThemeCounts.FirstOrDefault(c => c.Value == theme)?.Count ?? 0;

    /// <summary>The themes, those with the most datasets first.</summary>
    public IEnumerable<Theme> ThemesByCount => Names.Themes.OrderByDescending(t => CountOf(t.Id)).ThenBy(t => t.Id, StringComparer.Ordinal);
}
