using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Access;
using OpenData.Platform.Catalogue;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// An owner's datasets (数源单位): each with its classification, current version, rows, last update and the access requests
/// waiting for a decision, and what awaits tagging (suggestions, suspected columns) with a link to the dataset's columns — the catalogue's rows of the tenant's organisation and the requests the tenant reviews.
/// </summary>
internal sealed class DatasetsModel(CatalogueBrowse browse, AccessService access, CatalogueStore store) : ConsolePageModel
{
    public IReadOnlyList<DatasetRow> Datasets { get; private set; } = [];

    public long Total { get; private set; }

    /// <summary>Requests waiting for the owner's decision, per dataset (empty for a person who does not review).</summary>
    public IReadOnlyDictionary<string, int> Pending { get; private set; } = new Dictionary<string, int>();

    /// <summary>Per dataset with something to tag: untagged columns with a suggestion, and suspected columns.</summary>
    public IReadOnlyDictionary<string, TaggingBacklog> ToTag { get; private set; } = new Dictionary<string, TaggingBacklog>();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!Person.PublishesDatasets)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        (var rows, Total) = await browse.PageAsync(new BrowseFilter(null, null, Person.Tenant.Id, null), BrowseSort.Updated, 0, CatalogueBrowse.MaxPageSize, cancellationToken);
        Datasets = rows;
        ToTag = (await store.TaggingBacklogAsync(Person.Tenant.Id, cancellationToken)).ToDictionary(b => b.DatasetId, StringComparer.Ordinal);
        if (Holds(Platform.Identity.Scopes.AccessReview)
            && (await access.ListAsync(Person.Principal, "reviewer", AccessWorkflow.Submitted, cancellationToken)).Value is { } waiting)
        {
            Pending = waiting.Items.GroupBy(r => r.DatasetId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
        return Page();
    }
}
