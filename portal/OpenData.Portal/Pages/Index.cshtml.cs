using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Quotas;
using OpenData.Portal.Browsing;

namespace OpenData.Portal.Pages;

/// <summary>The home page: search, themes with their counts, recently updated and most-read datasets, the platform's figures.</summary>
internal sealed class IndexModel(CatalogueStore store, CatalogueBrowse browse, DatasetReadership readership) : PageModel
{
    public const int Recent = 6;

    public CatalogueFigures Figures { get; private set; } = new();

    public CatalogueNames Names { get; private set; } = new([], []);

    public IReadOnlyList<FacetCount> ThemeCounts { get; private set; } = [];

    public IReadOnlyList<DatasetRow> RecentlyUpdated { get; private set; } = [];

    /// <summary>The datasets whose rows were read most over the last <see cref="DatasetReadership.Days"/> days, with their reads.</summary>
    public IReadOnlyList<(DatasetRow Dataset, DatasetReads Reads)> MostRead { get; private set; } = [];

    public long RowsServed { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Figures = await browse.FiguresAsync(cancellationToken);
        Names = await CatalogueNames.LoadAsync(store, cancellationToken);
        ThemeCounts = (await browse.FacetsAsync(new BrowseFilter(null, null, null, null), cancellationToken)).Themes;
        RecentlyUpdated = (await browse.PageAsync(new BrowseFilter(null, null, null, null), BrowseSort.Updated, 0, Recent, cancellationToken)).Rows;
        var reads = await readership.ReadAsync(Recent, cancellationToken);
        RowsServed = reads.RowsServed;
        var rows = (await store.RowsAsync(reads.MostRead.Select(r => r.DatasetId).ToList(), cancellationToken)).ToDictionary(r => r.Id, StringComparer.Ordinal);
        MostRead = reads.MostRead.Where(r => rows.ContainsKey(r.DatasetId)).Select(r => (rows[r.DatasetId], r)).ToList();
    }

    public long CountOf(string theme) => ThemeCounts.FirstOrDefault(c => c.Value == theme)?.Count ?? 0;

    /// <summary>The themes, those with the most datasets first.</summary>
    public IEnumerable<Theme> ThemesByCount => Names.Themes.OrderByDescending(t => CountOf(t.Id)).ThenBy(t => t.Id, StringComparer.Ordinal);
}
