using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Audit;

/// <summary>An audit entry as its readers see it.</summary>
internal sealed record AuditEntryView(long Seq, DateTimeOffset At, string Type, string? ActorTenant, string? ActorApp, string? DatasetId, string? OwnerId, string? Subject,
    JsonElement Details, string PrevHash, string Hash);

/// <summary>A page of audit entries; <c>next</c> continues after the last one.</summary>
internal sealed record AuditPage(IReadOnlyList<AuditEntryView> Items, string? Next);

/// <summary>
/// The chain's check: <c>ok</c>, how many entries, the head hash, and the first broken link if any, with a stable <c>code</c>
/// (<c>audit.entry_altered</c>, <c>audit.link_broken</c>, <c>audit.entry_missing</c>, <c>audit.head_mismatch</c>,
/// <c>audit.checkpoint_mismatch</c>, <c>audit.tail_removed</c>, <c>audit.checkpoint_forged</c>); <c>checkpoint</c> is the latest
/// signed checkpoint, <c>from</c> the first entry recomputed, <c>full</c> whether the walk began at the first entry.
/// </summary>
internal sealed record AuditVerification(bool Ok, long Entries, string Head, long? BrokenAt, string? Problem)
{
    public string? Code { get; init; }

    /// <summary>Absent until the first checkpoint is taken.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public AuditCheckpointView? Checkpoint { get; init; }

    public long? From { get; init; }

    public bool Full { get; init; }
}

/// <summary>A signed checkpoint of the chain, as <c>verify</c> shows it.</summary>
internal sealed record AuditCheckpointView(long Seq, DateTimeOffset At, string Hash, string Node, string KeyId);

/// <summary><c>GET /v1/audit</c> (scoped: owners see events on their datasets, everyone their own actions, operators all) and <c>GET /v1/audit/verify</c>.</summary>
internal static class AuditEndpoints
{
    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Audit");
        group.MapGet("/audit", List).WithName("ListAudit").RequireAuthorization()
            .Produces<AuditPage>(StatusCodes.Status200OK, "application/json", "application/x-ndjson", "text/csv")
            .Refuses(CommonErrors.Validation)
            .WithSummary("Audit entries the caller may see: datasetId, type, from, to, limit, cursor; format=ndjson or csv streams them all.")
            .WithDescription(CsvCell.RawParameterDescription);
        group.MapGet("/audit/verify", Verify).WithName("VerifyAudit").RequireAuthorization().WithMetadata(Common.Metered.Instance)
            .Refuses(AuditErrors.VerifyForbidden, AuditErrors.FullVerifyForbidden)
            .WithSummary("Owners and operators: checks the chain against its signed checkpoints from the latest one (full=true, operators: from the first entry) and names the first entry that does not hold.");
        return group;
    }

    internal static async Task<IResult> List(
        string? datasetId, string? type, string? from, string? to, int? limit, string? cursor, string? format, [FromQuery(Name = CsvCell.RawParameter)] bool? csvRaw,
        ClaimsPrincipal user, Database database,
        HttpContext context, CancellationToken cancellationToken)
    {
        var take = limit ?? 100;
        var errors = new Dictionary<string, string[]>();
        if (take is < 1 or > 1000)
        {
            errors["limit"] = ["limit is from 1 to 1000"];
        }
        long after = 0;
        if (cursor is not null && !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            errors["cursor"] = ["cursor is the 'next' of the previous page"];
        }
        var fromAt = Instant(from, "from", errors);
        var toAt = Instant(to, "to", errors);
        var ndjson = string.Equals(format, "ndjson", StringComparison.OrdinalIgnoreCase);
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (format is not null && !ndjson && !csv && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            errors["format"] = ["format is json, ndjson or csv"];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var where = new List<string> { "seq > @after" };
        var tenant = user.TenantId();
        if (!user.HasScope(Scopes.PlatformAdmin))
        {
            // Owners see what happened on their datasets; everyone sees what they did themselves.
            where.Add("(owner_id = @tenant OR actor_tenant = @tenant)");
        }
        if (datasetId is not null)
        {
            where.Add("dataset_id = @datasetId");
        }
        if (type is not null)
        {
            where.Add("type = @type");
        }
        if (fromAt is not null)
        {
            where.Add("at >= @fromAt");
        }
        if (toAt is not null)
        {
            where.Add("at <= @toAt");
        }
        var sql = $"SELECT {AuditLog.Columns} FROM audit_log WHERE {string.Join(" AND ", where)} ORDER BY seq" + (ndjson || csv ? "" : " LIMIT @fetch");
        var parameters = new { after, tenant = tenant ?? "", datasetId, type, fromAt, toAt, fetch = take + 1 };
        await using var connection = await database.OpenAsync(cancellationToken);
        if (ndjson)
        {
            context.Response.ContentType = "application/x-ndjson";
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
            var parser = reader.GetRowParser<AuditRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                await context.Response.WriteAsync(JsonSerializer.Serialize(ToView(parser(reader)), JsonOptions) + "\n", cancellationToken);
            }
            return Results.Empty;
        }
        if (csv)
        {
            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = Attachment.ContentDisposition("audit.csv");
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
            var parser = reader.GetRowParser<AuditRow>();
            await context.Response.WriteAsync(CsvHeader, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                await context.Response.WriteAsync(CsvLine(parser(reader), defuse: csvRaw != true), cancellationToken);
            }
            return Results.Empty;
        }
        var rows = (await connection.QueryAsync<AuditRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
        var more = rows.Count > take;
        var items = rows.Take(take).Select(ToView).ToList();
        return TypedResults.Ok(new AuditPage(items, more ? items[^1].Seq.ToString(CultureInfo.InvariantCulture) : null));
    }

    private const string CsvHeader = "seq,at,type,actorTenant,actorApp,datasetId,ownerId,subject,details,prevHash,hash\r\n";

    /// <summary>One entry as a CSV line; <c>details</c> is its JSON in one cell.</summary>
    private static string CsvLine(AuditRow r, bool defuse)
    {
        var line = new System.Text.StringBuilder().Append(r.Seq.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(r.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        foreach (var text in (string?[])[r.Type, r.ActorTenant, r.ActorApp, r.DatasetId, r.OwnerId, r.Subject, r.Details, r.PrevHash, r.Hash])
        {
            CsvCell.AppendText(line.Append(','), text, defuse);
        }
        return line.Append("\r\n").ToString();
    }

    private static readonly JsonSerializerOptions JsonOptions = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        PlatformJson.Configure(options);
        return options;
    }

    private static AuditEntryView ToView(AuditRow r) =>
        new(r.Seq, r.At, r.Type, r.ActorTenant, r.ActorApp, r.DatasetId, r.OwnerId, r.Subject, JsonDocument.Parse(r.Details).RootElement.Clone(), r.PrevHash, r.Hash);

    internal static async Task<Results<Ok<AuditVerification>, ProblemHttpResult>> Verify(bool? full, ClaimsPrincipal user, AuditVerifier verifier, CancellationToken cancellationToken)
    {
        // Owners and operators: the tenants accountable for what the trail records. A consumer learns nothing it needs from the
        // state of everyone's chain, and each check reads the store, so it is theirs to ask for and metered like any read.
        var operatorCaller = user.HasScope(Scopes.PlatformAdmin);
        if (!operatorCaller && !user.HasScope(Scopes.DatasetsWrite) && !user.HasScope(Scopes.AccessReview))
        {
            return Problems.Forbidden(AuditErrors.VerifyForbidden, "only data owners and platform operators check the audit chain");
        }
        if (full == true && !operatorCaller)
        {
            return Problems.Forbidden(AuditErrors.FullVerifyForbidden, "only platform operators recompute the whole chain (full=true); owners check it from the latest checkpoint");
        }
        return TypedResults.Ok(await verifier.VerifyAsync(full == true, cancellationToken));
    }

    private static DateTimeOffset? Instant(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            // In UTC, as instants are stored: PostgreSQL's driver refuses any other offset for timestamptz.
            return at.ToUniversalTime();
        }
        errors[name] = [$"{name} is an ISO date or instant such as 2026-11-29 or 2026-11-29T08:00:00Z"];
        return null;
    }
}
