using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Platform.Catalogue;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Contests;

/// <summary>
/// A contest's winners' showcase, public once the results are published (as <c>GET /v1/contests/{id}/showcase</c>,
/// <see cref="ResultService.ShowcaseAsync"/>): each winner's award, team, app with its demo and the datasets it uses, and what
/// became of it (落地): taken live or not, its requests per week and the status of its access requests and grants. Before
/// publication the page says the results are not yet published (404).
/// </summary>
internal sealed class ShowcaseModel(ContestService contests, ResultService results, CatalogueStore catalogue) : PageModel
{
    public string Id { get; private set; } = "";

    public Contest? Contest { get; private set; }

    public Showcase? Showcase { get; private set; }

    /// <summary>The catalogue's rows of the datasets the winners use (for their titles in the page's language).</summary>
    public IReadOnlyDictionary<string, DatasetRow> Datasets { get; private set; } = new Dictionary<string, DatasetRow>();

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        Contest = (await contests.GetAsync(id, cancellationToken)).Value;
        Showcase = Contest is null ? null : (await results.ShowcaseAsync(id, cancellationToken)).Value;
        if (Showcase is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        var ids = Showcase.Winners.SelectMany(w => w.Datasets.Select(d => d.Id)).Distinct(StringComparer.Ordinal).ToList();
        Datasets = (await catalogue.RowsAsync(ids, cancellationToken)).ToDictionary(r => r.Id, StringComparer.Ordinal);
        return Page();
    }
}
