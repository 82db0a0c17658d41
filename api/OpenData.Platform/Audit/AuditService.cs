using System.Globalization;
using System.Security.Claims;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Audit;

/// <summary>How the entries are answered: a JSON page, or all of them streamed as NDJSON or CSV.</summary>
internal enum AuditFormat
{
    Json,
    Ndjson,
    Csv,
}

/// <summary>The parameters of <c>GET /v1/audit</c> as sent.</summary>
internal sealed record AuditListRequest(string? DatasetId, string? Type, string? From, string? To, int? Limit, string? Cursor, string? Format);

/// <summary>
/// The console's reading of the trail: on a dataset, by an acting tenant, between two instants, newest first from before an
/// entry (<see cref="Before"/>, the <c>next</c> of the page before; null: from the newest), <see cref="Take"/> to a page.
/// </summary>
internal sealed record AuditBrowseRequest(string? DatasetId, string? Tenant, DateTimeOffset? From, DateTimeOffset? To, long? Before, int Take);

/// <summary>A reading of the trail that passed the rules: which entries, how many to a page, in which format.</summary>
internal sealed record AuditQuery(AuditFilter Filter, int Take, AuditFormat Format);

/// <summary>
/// The rules of reading the audit trail — who sees which entries (operators all; everyone else what happened on their datasets and
/// what they did themselves), what a reading may ask for, who may check the chain — answered as an <see cref="Outcome{T}"/>;
/// SQL is <see cref="AuditStore"/>'s (and the chain's walk <see cref="AuditVerifier"/>'s).
/// </summary>
internal sealed class AuditService(AuditStore store, AuditVerifier verifier)
{
    /// <summary>The reading the caller asked for, scoped to what it may see; every invalid parameter named at once.</summary>
    public static Outcome<AuditQuery> Query(ClaimsPrincipal user, AuditListRequest request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        var take = request.Limit ?? 100;
        var errors = new Dictionary<string, string[]>();
        if (take is < 1 or > 1000)
        {
            errors["limit"] = ["limit is from 1 to 1000"];
        }
        long after = 0;
        if (request.Cursor is not null && !long.TryParse(request.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            errors["cursor"] = ["cursor is the 'next' of the previous page"];
        }
        var fromAt = Instant(request.From, "from", errors);
        var toAt = Instant(request.To, "to", errors);
        var format = AuditFormat.Json;
        if (string.Equals(request.Format, "ndjson", StringComparison.OrdinalIgnoreCase))
        {
            format = AuditFormat.Ndjson;
        }
        else if (string.Equals(request.Format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            format = AuditFormat.Csv;
        }
        else if (request.Format is not null && !string.Equals(request.Format, "json", StringComparison.OrdinalIgnoreCase))
        {
            errors["format"] = ["format is json, ndjson or csv"];
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        return new AuditQuery(new AuditFilter(after, Visible(user), request.DatasetId, request.Type, fromAt, toAt), take, format);
    }

    /// <summary>
    /// The console's reading (the portal validates its own form's dates): the same visibility as <c>GET /v1/audit</c>, newest
    /// first; <see cref="StreamAsync"/> of the same query exports every entry of the filter in chain order.
    /// </summary>
    public static AuditQuery Browse(ClaimsPrincipal user, AuditBrowseRequest request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        var filter = new AuditFilter(0, Visible(user), Blank(request.DatasetId), null, request.From?.ToUniversalTime(), request.To?.ToUniversalTime())
        {
            Actor = Blank(request.Tenant),
            Before = request.Before ?? long.MaxValue,
        };
        return new AuditQuery(filter, Math.Clamp(request.Take, 1, 1000), AuditFormat.Json);
    }

    /// <summary>Owners see what happened on their datasets; everyone sees what they did themselves; operators see everything (null).</summary>
    private static string? Visible(ClaimsPrincipal user) => user.HasScope(Scopes.PlatformAdmin) ? null : user.TenantId() ?? "";

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>One page of the reading; <c>next</c> is set when more entries follow.</summary>
    public async Task<AuditPage> PageAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = await store.PageAsync(query.Filter, query.Take + 1, cancellationToken);
        var more = rows.Count > query.Take;
        var items = rows.Take(query.Take).Select(AuditEntryView.Of).ToList();
        return new AuditPage(items, more ? items[^1].Seq.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>Every entry of the reading, streamed in chain order (exports are not paged).</summary>
    public Task<AuditRowStream> StreamAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return store.StreamAsync(query.Filter with { Before = null }, cancellationToken);
    }

    /// <summary>Checks the chain: owners and operators from the latest checkpoint, operators alone from the first entry (<paramref name="full"/>).</summary>
    public async Task<Outcome<AuditVerification>> VerifyAsync(ClaimsPrincipal user, bool full, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        // Owners and operators: the tenants accountable for what the trail records. A consumer learns nothing it needs from the
        // state of everyone's chain, and each check reads the store, so it is theirs to ask for and metered like any read.
        var operatorCaller = user.HasScope(Scopes.PlatformAdmin);
        if (!operatorCaller && !user.HasScope(Scopes.DatasetsWrite) && !user.HasScope(Scopes.AccessReview))
        {
            return Refusal.Forbidden(AuditErrors.VerifyForbidden, "only data owners and platform operators check the audit chain");
        }
        if (full && !operatorCaller)
        {
            return Refusal.Forbidden(AuditErrors.FullVerifyForbidden, "only platform operators recompute the whole chain (full=true); owners check it from the latest checkpoint");
        }
        return await verifier.VerifyAsync(full, cancellationToken);
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
