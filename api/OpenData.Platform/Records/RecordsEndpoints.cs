using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Quotas;
using OpenData.Platform.Records.Output;

namespace OpenData.Platform.Records;

/// <summary>Routes of the read path: pages of records and whole-dataset exports.</summary>
internal static class RecordsEndpoints
{
    public static RouteGroupBuilder MapRecords(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/datasets/{id}").WithTags("Records").WithMetadata(Metered.Instance);
        group.MapGet("/records", GetRecords).WithName("GetRecords").AllowAnonymous()
            .Produces<RecordPageDocument>(StatusCodes.Status200OK, "application/json", "text/csv", "application/x-ndjson")
            .Refuses(CommonErrors.InvalidLimit, CommonErrors.InvalidCursor, RecordsErrors.InvalidFormat, RecordsErrors.Syntax, RecordsErrors.TooComplex,
                RecordsErrors.UnknownColumn, RecordsErrors.ColumnNotVisible, RecordsErrors.ColumnNotFilterable, RecordsErrors.TypeMismatch,
                RecordsErrors.InvalidToken, RecordsErrors.TokenTooLong, RecordsErrors.CursorMismatch, RecordsErrors.CursorExpired,
                CommonErrors.TokenRequired, RecordsErrors.GrantRequired, RecordsErrors.OutsideAppScope, CatalogueErrors.DatasetNotFound, CatalogueErrors.DatasetNotPublished,
                QuotasErrors.DailyExceeded, RecordsErrors.Timeout, RecordsErrors.TwinGenerating, RecordsErrors.TwinWithheld)
            .WithSummary("A page of rows: select, where, order_by, limit, cursor; JSON, CSV or NDJSON.")
            .WithDescription(CsvCell.RawParameterDescription);
        group.MapGet("/export", ExportRecords).WithName("ExportRecords").AllowAnonymous()
            .Produces<string>(StatusCodes.Status200OK, "text/csv", "application/x-ndjson")
            .Refuses(RecordsErrors.InvalidFormat, CommonErrors.TokenRequired, RecordsErrors.GrantRequired, RecordsErrors.OutsideAppScope, CatalogueErrors.DatasetNotFound,
                CatalogueErrors.DatasetNotPublished, QuotasErrors.DailyExceeded, RecordsErrors.Timeout, RecordsErrors.TwinGenerating, RecordsErrors.TwinWithheld)
            .WithSummary("The whole dataset, streamed as CSV or NDJSON through the same view as records.")
            .WithDescription(CsvCell.RawParameterDescription);
        return group;
    }

    internal static async Task<IResult> GetRecords(
        string id, [AsParameters] RecordsQueryString query, RecordReader reader, HttpContext context, CancellationToken cancellationToken)
    {
        if (!TryFormat(query.Format, context.Request, allowJson: true, out var format, out var formatProblem))
        {
            return formatProblem;
        }
        var read = await reader.ReadPageAsync(ReadCaller.Of(context), id, new RecordRequest(query.Select, query.Where, query.OrderBy, query.Limit, query.Cursor), cancellationToken);
        if (read.Refusal is { } refusal)
        {
            return Problems.From(refusal, context.Response);
        }
        var page = read.Value!;
        var response = context.Response;
        using var writer = RecordWriter.Create(format, response.BodyWriter, page.Columns, defuseCsv: query.CsvRaw != true);
        response.ContentType = writer.ContentType;
        response.Headers["X-Dataset-Version"] = page.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (page.Next is not null)
        {
            response.Headers.Link = $"<{NextUrl(context.Request, page.Next)}>; rel=\"next\"";
        }
        using (RecordsTelemetry.Start("records.write", id))
        {
            writer.Begin();
            foreach (var row in page.Rows)
            {
                writer.Row(row);
                await writer.FlushIfFullAsync(cancellationToken);
            }
            writer.End(page.Next);
            await writer.FlushAsync(cancellationToken);
        }
        RecordsTelemetry.Written(page.Classification, RecordsTelemetry.Page, writer.BytesWritten);
        return Results.Empty;
    }

    internal static async Task<IResult> ExportRecords(
        string id, string? format, [FromQuery(Name = CsvCell.RawParameter)] bool? csvRaw, RecordPlanner planner, RecordReader reader, HttpContext context,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // Without format, Accept may ask for NDJSON; anything else exports CSV.
        var requested = format ?? (context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Value is "application/x-ndjson" or "application/ndjson") ? "ndjson" : "csv");
        if (!TryFormat(requested, context.Request, allowJson: false, out var recordFormat, out var formatProblem))
        {
            return formatProblem;
        }
        var caller = ReadCaller.Of(context);
        var planned = await planner.PlanExportAsync(caller.User, id, cancellationToken);
        if (planned.Refusal is { } refusal)
        {
            return Problems.From(refusal, context.Response);
        }
        var plan = planned.Value!;
        var reserved = await reader.ReserveExportAsync(caller, plan, cancellationToken);
        if (reserved.Refusal is { } spent)
        {
            plan.Pipeline?.Dispose();
            return Problems.From(spent, context.Response);
        }
        var rows = reserved.Value!;
        var response = context.Response;
        if (rows.Granted < plan.Table.RowCount)
        {
            // The plan stops this export early: say so before the first byte, so no one takes a cut file for the whole.
            response.Headers["X-Export-Rows"] = rows.Granted.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["X-Export-Truncated"] = $"{rows.LimitedBy}: this export stops after {rows.Granted} of {plan.Table.RowCount} rows";
        }
        // sent: rows serialised into the response; delivered: rows whose bytes were handed to the connection (flushed) while
        // the client was still there. The audit entry and the metering take delivered, on every way out of this method.
        long sent = 0;
        long delivered = 0;
        var outcome = ExportOutcome.Failed;
        using var writer = RecordWriter.Create(recordFormat, response.BodyWriter, plan.Selected, defuseCsv: csvRaw != true);
        var extension = recordFormat == RecordFormat.Csv ? "csv" : "ndjson";
        response.ContentType = writer.ContentType;
        response.Headers.ContentDisposition = Attachment.ContentDisposition($"{plan.Dataset.Id}-v{plan.Table.Version}.{extension}");
        response.Headers["X-Dataset-Version"] = plan.Table.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["X-Total-Rows"] = plan.Table.RowCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var span = RecordsTelemetry.Start("records.export", plan.Dataset.Id);
        try
        {
            writer.Begin();
            await foreach (var row in reader.StreamAsync(plan, rows.Granted, cancellationToken))
            {
                sent++;
                writer.Row(row);
                if (await writer.FlushIfFullAsync(cancellationToken))
                {
                    // Kestrel may accept a flush after the client reset and drop it: only a flush before the abort counts.
                    cancellationToken.ThrowIfCancellationRequested();
                    delivered = sent;
                }
            }
            writer.End(null);
            await writer.FlushAsync(cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            delivered = sent;
            outcome = sent < plan.Table.RowCount ? ExportOutcome.Truncated : ExportOutcome.Complete;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away (reset, cancel, timeout): whatever the exception, it is theirs, not a failure of ours.
            outcome = ExportOutcome.Aborted;
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException && response.HasStarted)
        {
            // The status line is gone; abort so the client sees a broken transfer, never a file that looks complete.
            loggers.CreateLogger(typeof(RecordsEndpoints)).LogError(e, "Export of {Dataset} failed after {Bytes} bytes", plan.Dataset.Id, writer.BytesWritten);
            context.Abort();
        }
        finally
        {
            rows.Settle(delivered);
            RecordsTelemetry.Written(plan.Dataset.Classification, RecordsTelemetry.Export, writer.BytesWritten);
            span?.SetTag("opendata.outcome", outcome);
            await reader.ReportExportAsync(caller.User, plan, delivered, outcome);
        }
        return Results.Empty;
    }

    private static bool TryFormat(string? requested, HttpRequest request, bool allowJson, out RecordFormat format, out ProblemHttpResult problem)
    {
        problem = null!;
        format = RecordFormat.Json;
        var name = requested?.ToLowerInvariant();
        if (name is null)
        {
            foreach (var accept in request.GetTypedHeaders().Accept.OrderByDescending(a => a.Quality ?? 1))
            {
                var media = accept.MediaType.Value?.ToLowerInvariant();
                name = media switch
                {
                    "text/csv" => "csv",
                    "application/x-ndjson" or "application/ndjson" or "application/jsonl" => "ndjson",
                    "application/json" or "*/*" or "application/*" => "json",
                    _ => null,
                };
                if (name is not null)
                {
                    break;
                }
            }
            name ??= "json";
        }
        switch (name)
        {
            case "json" when allowJson:
                format = RecordFormat.Json;
                return true;
            case "csv":
                format = RecordFormat.Csv;
                return true;
            case "ndjson":
                format = RecordFormat.Ndjson;
                return true;
            default:
                problem = Problems.BadRequest(RecordsErrors.InvalidFormat, allowJson
                    ? "format must be json, csv or ndjson (or send Accept: application/json, text/csv or application/x-ndjson)"
                    : "an export's format is csv or ndjson");
                return false;
        }
    }

    private static string NextUrl(HttpRequest request, string next)
    {
        var query = QueryHelpers.ParseQuery(request.QueryString.Value);
        query["cursor"] = next;
        var builder = new StringBuilder(PublicUrl.Base(request)).Append(request.Path.Value);
        var first = true;
        foreach (var (key, values) in query)
        {
            foreach (var value in (StringValues)values)
            {
                builder.Append(first ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
                first = false;
            }
        }
        return builder.ToString();
    }
}
