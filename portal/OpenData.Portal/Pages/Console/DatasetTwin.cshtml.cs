using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Identity;
using OpenData.Portal.Developer;
using OpenData.Portal.Sandbox;
using OpenData.Sandbox.Twins;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The synthetic twin of one of the owner's datasets (what <c>GET /v1/datasets/{id}/twin</c> answers): its state in plain words,
/// rows real and twin, the generation, and the fidelity and privacy report; for a withheld twin, the checks it failed. For the
/// dataset's owner and the platform's operators only: 403 for a person of a tenant that owns no data, 404 for a dataset that is
/// not the tenant's.
/// </summary>
internal sealed class DatasetTwinModel(CatalogueStore store, TwinStore twins) : ConsolePageModel
{
    public string DatasetId { get; private set; } = "";

    public DatasetRow? Dataset { get; private set; }

    /// <summary>The twin of the newest version that has one; null while none has been queued.</summary>
    public TwinDocument? Twin { get; private set; }

    public TwinReportView Report { get; private set; } = TwinReportView.Of(default);

    /// <summary>Why nothing is shown: 403 (a tenant that owns no data), 404 (not the tenant's dataset); else null.</summary>
    public int? Unavailable { get; private set; }

    /// <summary>Whether the person looks as one of the platform's operators (any owner's dataset).</summary>
    public bool AsOperator => Person.IsOperator || Holds(Scopes.PlatformAdmin);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        DatasetId = id;
        if (!Person.PublishesDatasets && !AsOperator)
        {
            Unavailable = StatusCodes.Status403Forbidden;
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        var found = await store.GetAsync(id, cancellationToken);
        if (found is null || !(AsOperator || string.Equals(found.Value.Dataset.OwnerId, Person.Tenant.Id, StringComparison.Ordinal)))
        {
            Unavailable = StatusCodes.Status404NotFound;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Dataset = found.Value.Dataset;
        if (await twins.FindLatestAsync(Dataset.Key, cancellationToken) is { } twin)
        {
            Twin = TwinDocument.From(twin);
            if (Twin.Report is { } report)
            {
                Report = TwinReportView.Of(report);
            }
        }
        return Page();
    }
}
