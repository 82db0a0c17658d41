using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;
using OpenData.Platform.Ingestion;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// Uploads a CSV as a new version of one of the owner's datasets, through <see cref="IngestionService"/> as the signed-in person:
/// the rules of <c>POST /v1/datasets/{id}/versions</c> (the dataset's owner only, the size limit, utf-8 or gb18030). With script,
/// <c>upload.js</c> sends the file's bytes alone (<c>handler=Raw</c>, the antiforgery token in a header) to show a real progress
/// bar, then follows the job's own progress (Server-Sent Events of the report page) to the data-quality report. Without script
/// the form posts the file and the answer is the job's page, which refreshes until the load ends.
/// </summary>
internal sealed class UploadModel(IngestionService ingestion, CatalogueStore store, IStringLocalizer<PortalText> text) : ConsolePageModel
{
    private static readonly Dictionary<string, string> CodeFields = new(StringComparer.Ordinal)
    {
        [IngestionErrors.TooLarge] = "file",
        [IngestionErrors.Empty] = "file",
        [IngestionErrors.UnsupportedCharset] = "charset",
    };

    [BindProperty(Name = "file")]
    public IFormFile? Csv { get; set; }

    [BindProperty]
    public string? Charset { get; set; } = "utf-8";

    public DatasetSchema? Dataset { get; private set; }

    /// <summary>The dataset's catalogue row (titles in both languages), for the heading.</summary>
    public DatasetRow? Row { get; private set; }

    public long MaxBytes => ingestion.MaxUploadBytes;

    /// <summary>Why the page shows no form: 403 (not the dataset's owner) or 404 (no such dataset).</summary>
    public int? RefusedStatus { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        await TargetAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        if (!await TargetAsync(id, cancellationToken))
        {
            return Page();
        }
        if (Csv is null || Csv.Length == 0)
        {
            return Refused("Upload", Refusal.BadRequest(IngestionErrors.Empty, "choose a CSV file"), CodeFields);
        }
        await using var stream = Csv.OpenReadStream();
        var uploaded = await ingestion.UploadAsync(Dataset!, stream, Charset, Csv.Length, cancellationToken);
        if (uploaded.Refusal is { } refusal)
        {
            return Refused("Upload", refusal, CodeFields);
        }
        return LocalRedirect($"/console/ingestions/{uploaded.Value!.Id}");
    }

    /// <summary>The script's upload: the body is the file itself (as for the API), the charset in the query; answered with the job's addresses.</summary>
    public async Task<IActionResult> OnPostRawAsync(string id, string? charset, CancellationToken cancellationToken)
    {
        if (!await TargetAsync(id, cancellationToken))
        {
            return Answer(RefusedStatus ?? StatusCodes.Status403Forbidden, new { message = text["Upload.Refused"].Value });
        }
        var uploaded = await ingestion.UploadAsync(Dataset!, Request.Body, charset, Request.ContentLength, cancellationToken);
        if (uploaded.Refusal is { } refusal)
        {
            var message = text["Refusal." + refusal.Code];
            return Answer(refusal.Status, new { code = refusal.Code, message = message.ResourceNotFound ? refusal.Detail : message.Value });
        }
        var job = uploaded.Value!.Id;
        return Answer(StatusCodes.Status202Accepted, new { jobId = job, report = $"/console/ingestions/{job}", events = $"/console/ingestions/{job}?handler=Events" });
    }

    private static JsonResult Answer(int status, object value) => new(value) { StatusCode = status };

    /// <summary>The dataset, if the person may upload to it; otherwise the status of the refusal is set and the page says why.</summary>
    private async Task<bool> TargetAsync(string id, CancellationToken cancellationToken)
    {
        if (!Person.PublishesDatasets || !Holds(Scopes.DatasetsWrite))
        {
            RefusedStatus = StatusCodes.Status403Forbidden;
        }
        else
        {
            var target = await ingestion.UploadTargetAsync(Person.Principal, id, cancellationToken);
            if (target.Refusal is { } refusal)
            {
                RefusedStatus = refusal.Status;
            }
            else
            {
                Dataset = target.Value;
                Row = (await store.RowsAsync([id], cancellationToken)).FirstOrDefault();
            }
        }
        if (RefusedStatus is { } status)
        {
            Response.StatusCode = status;
            return false;
        }
        return true;
    }
}
