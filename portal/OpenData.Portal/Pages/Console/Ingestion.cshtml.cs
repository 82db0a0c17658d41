using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Ingestion;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// An upload's job and its data-quality report (数据质量报告), for the dataset's owner only (another organisation's job is not
/// found, as in <c>GET /v1/ingestions/{jobId}</c>): rows loaded, rejected rows with their reasons and line numbers, and per column
/// the empty share, distinct values, min/max and the PII kinds suggested. While the job runs the page refreshes itself (no
/// script needed); <c>handler=Events</c> streams the job's progress as Server-Sent Events until it ends, and <c>handler=Report</c>
/// is the report alone, which the upload page shows when the stream ends.
/// </summary>
internal sealed class IngestionModel(IngestionService ingestion, TimeProvider clock) : ConsolePageModel
{
    /// <summary>How often the stream looks at the job.</summary>
    public static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan KeepAliveEvery = TimeSpan.FromSeconds(15);

    public IngestionJob? Job { get; private set; }

    /// <summary>Why the page shows no job: 403 (not a data owner's member) or 404 (no such job for this organisation).</summary>
    public int? RefusedStatus { get; private set; }

    public bool Finished => Job?.Status is IngestionStatus.Succeeded or IngestionStatus.Failed;

    public async Task<IActionResult> OnGetAsync(string jobId, CancellationToken cancellationToken)
    {
        if (await FindAsync(jobId, cancellationToken) && !Finished)
        {
            // Without script the page follows the job by reloading itself until it ends.
            Response.Headers["Refresh"] = "2";
        }
        return Page();
    }

    /// <summary>The report alone (the upload page shows it once the stream has said the job ended).</summary>
    public async Task<IActionResult> OnGetReportAsync(string jobId, CancellationToken cancellationToken) =>
        await FindAsync(jobId, cancellationToken) ? Partial("_IngestionReport", Job) : StatusCode(RefusedStatus ?? StatusCodes.Status404NotFound);

    /// <summary>
    /// The job's progress as Server-Sent Events: a <c>progress</c> event whenever the counters change (at once with the state it is
    /// in), then one <c>done</c> event when it has succeeded or failed, and the stream ends.
    /// </summary>
    public async Task<IActionResult> OnGetEventsAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!await FindAsync(jobId, cancellationToken))
        {
            return StatusCode(RefusedStatus ?? StatusCodes.Status404NotFound);
        }
        await StreamAsync(jobId, cancellationToken);
        // The stream is the answer: nothing more is written.
        return new EmptyResult();
    }

    private async Task StreamAsync(string jobId, CancellationToken cancellationToken)
    {
        Response.ContentType = "text/event-stream";
        Response.Headers["X-Accel-Buffering"] = "no";
        HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        string? last = null;
        var quietSince = clock.GetUtcNow();
        try
        {
            while (true)
            {
                var job = (await ingestion.FindAsync(Person.Principal, jobId, cancellationToken)).Value;
                if (job is null)
                {
                    return;
                }
                var finished = job.Status is IngestionStatus.Succeeded or IngestionStatus.Failed;
                var data = JsonSerializer.Serialize(new
                {
                    status = job.Status.ToString().ToLowerInvariant(),
                    progress = job.Progress,
                    bytesRead = job.BytesRead,
                    bytesTotal = job.BytesTotal,
                    rowsRead = job.RowsRead,
                    rowsRejected = job.RowsRejected,
                });
                if (data != last || finished)
                {
                    // The first event is always progress, so a listener sees the job's own phase even when it ends at once.
                    var name = finished && last is not null ? "done" : "progress";
                    await Response.WriteAsync($"event: {name}\ndata: {data}\n\n", cancellationToken);
                    await Response.Body.FlushAsync(cancellationToken);
                    last = data;
                    quietSince = clock.GetUtcNow();
                    if (name == "done")
                    {
                        return;
                    }
                    continue;
                }
                if (clock.GetUtcNow() - quietSince > KeepAliveEvery)
                {
                    await Response.WriteAsync(": still loading\n\n", cancellationToken);
                    await Response.Body.FlushAsync(cancellationToken);
                    quietSince = clock.GetUtcNow();
                }
                await Task.Delay(PollEvery, clock, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private async Task<bool> FindAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!Person.PublishesDatasets)
        {
            RefusedStatus = StatusCodes.Status403Forbidden;
        }
        else
        {
            var found = await ingestion.FindAsync(Person.Principal, jobId, cancellationToken);
            if (found.Refusal is { } refusal)
            {
                RefusedStatus = refusal.Status;
            }
            Job = found.Value;
        }
        if (RefusedStatus is { } status)
        {
            Response.StatusCode = status;
            return false;
        }
        return true;
    }
}
