using System.Security.Claims;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Access;

/// <summary>
/// Access to restricted data as a service: requests, the owner's (and for L3 the platform's) decisions, withdrawal and
/// resubmission, grants and their revocation. REST and GraphQL both call it. A request or grant outside the caller's reach
/// is refused as not found; an action its state does not allow, as a conflict.
/// </summary>
internal sealed class AccessService(
    AccessStore store, DatasetDirectory directory, ClassificationPolicy classification, DesensitisationPolicy desensitisation, GrantDirectory grants,
    Risk.RiskMeter risk, Tenancy.TenancyStore tenancy,
    TimeProvider clock)
{
    public const int MaxDurationDays = 365;

    private static bool IsOperator(ClaimsPrincipal user) => user.HasScope(Scopes.PlatformAdmin);

    /// <summary>A draft is its requester's alone (not even the operator's); any other request, both sides' and the operator's.</summary>
    private static bool CanSee(ClaimsPrincipal user, AccessRequestRow r) =>
        r.Status == AccessWorkflow.Draft
            ? user.TenantId() == r.RequesterId
            : IsOperator(user) || user.TenantId() is { } t && (t == r.RequesterId || t == r.OwnerId);

    private static Refusal NotFound(string id) =>
        Refusal.NotFound(AccessErrors.RequestNotFound, $"no access request '{id}' is visible to the caller");

    /// <summary>Submits a request for rows of a restricted or sensitive dataset.</summary>
    public async Task<Outcome<AccessRequestView>> SubmitAsync(ClaimsPrincipal user, NewAccessRequest body, CancellationToken cancellationToken)
    {
        var tenant = user.TenantId()!;
        var dataset = string.IsNullOrWhiteSpace(body.DatasetId) ? null : await directory.FindAsync(body.DatasetId, cancellationToken);
        if (dataset is null)
        {
            return string.IsNullOrWhiteSpace(body.DatasetId)
                ? Refusal.Validation(new Dictionary<string, string[]> { ["datasetId"] = ["name the dataset you need, e.g. hotline-12345-requests"] })
                : DatasetDirectory.NotFound(body.DatasetId);
        }
        var level = classification.For(dataset.Classification);
        var errors = new Dictionary<string, string[]>();
        if (level.RowsNeed != RowsNeed.Grant)
        {
            errors["datasetId"] = [$"'{dataset.Id}' is {dataset.Classification.ToString().ToLowerInvariant()} data: its rows need no request"];
        }
        if (dataset.OwnerId == tenant)
        {
            errors["datasetId"] = ["the caller's organisation owns this dataset and reads it without a request"];
        }
        var kind = body.Kind ?? AccessKind.Records;
        if (!AccessKind.All.Contains(kind))
        {
            errors["kind"] = ["kind is records (rows, the default) or verify (the dataset's verification only, never a row)"];
        }
        else if (kind == AccessKind.Verify && (body.Columns is not null || body.Linkage is not null))
        {
            errors["kind"] = ["a verify request names no columns and no linkage: the dataset's owner defines which columns its verification compares"];
        }
        Check(dataset, body.Columns, body.Purpose, body.DurationDays, errors);
        if (body.AppId is not null)
        {
            if (await tenancy.EnabledAppTenantAsync(body.AppId, cancellationToken) != tenant)
            {
                errors["appId"] = ["appId is the client_id of one of the caller's own enabled apps"];
            }
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        if (CheckLinkage(dataset, body.Columns, body.Linkage) is { } badLinkage)
        {
            return badLinkage;
        }
        if (await store.HasOpenRequestAsync(tenant, dataset.Key, kind, cancellationToken))
        {
            return Refusal.Conflict(AccessErrors.RequestOpen, $"the caller already has an open request for '{dataset.Id}': see GET /v1/access-requests?role=requester");
        }
        var now = clock.GetUtcNow();
        var row = new AccessRequestRow
        {
            Id = AccessStore.NewId("ar_"),
            DatasetKey = dataset.Key,
            DatasetId = dataset.Id,
            OwnerId = dataset.OwnerId,
            RequesterId = tenant,
            AppId = body.AppId,
            Columns = AccessRequestRow.Json(body.Columns?.Distinct().ToList()),
            Linkage = LinkageJson(body.Linkage),
            Purpose = body.Purpose!.Trim(),
            Kind = kind,
            DurationDays = body.DurationDays!.Value,
            Status = AccessWorkflow.Submitted,
            PlatformReview = level.Approvals.Contains(Approver.Platform),
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var first = new AccessEventRow { RequestId = row.Id, Seq = 1, At = now, Actor = tenant, Action = "submit", ToStatus = row.Status, Columns = row.Columns, Linkage = row.Linkage };
        await store.InsertAsync(row, first,
            Entry(user, "access_request.submitted", row, ("request", row.Id), ("columns", AccessRequestRow.List(row.Columns)), ("linkage", AccessRequestRow.List(row.Linkage)),
                ("durationDays", row.DurationDays), ("kind", row.Kind)),
            new AccessStore.Notice(row.OwnerId, Webhooks.WebhookEvents.Submitted,
                new { request = row.Id, datasetId = row.DatasetId, requester = tenant, columns = AccessRequestRow.List(row.Columns), row.Purpose, row.DurationDays, kind = row.Kind }),
            cancellationToken);
        grants.Forget(tenant, dataset.Key);
        return await ViewAsync(user, row, cancellationToken);
    }

    private static void Check(DatasetSchema dataset, IReadOnlyList<string>? columns, string? purpose, int? durationDays, Dictionary<string, string[]> errors)
    {
        if (columns is not null)
        {
            var unknown = columns.Where(c => dataset.FindColumn(c) is null).ToList();
            if (columns.Count == 0 || unknown.Count > 0)
            {
                errors["columns"] = [columns.Count == 0
                    ? "leave columns out to ask for all of them, or name at least one"
                    : $"'{dataset.Id}' has no column {string.Join(", ", unknown.Select(u => $"'{u}'"))}; its columns are {string.Join(", ", dataset.Columns.Select(c => c.Name))}"];
            }
        }
        if (string.IsNullOrWhiteSpace(purpose) || purpose.Trim().Length is < 10 or > 2000)
        {
            errors["purpose"] = ["say what the data is for, in 10 to 2000 characters; the owner decides on it"];
        }
        if (durationDays is not (>= 1 and <= MaxDurationDays))
        {
            errors["durationDays"] = [$"durationDays is a whole number of days from 1 to {MaxDurationDays}"];
        }
    }

    /// <summary>
    /// Refuses linkage domains the policy does not declare, and domains none of whose tags is on a column in question
    /// (<paramref name="columns"/>, or all the dataset's): such a domain would link nothing and says the caller misunderstood.
    /// </summary>
    private Refusal? CheckLinkage(DatasetSchema dataset, IReadOnlyList<string>? columns, IReadOnlyList<string>? linkage)
    {
        if (linkage is null)
        {
            return null;
        }
        var declared = desensitisation.Linkage;
        foreach (var name in linkage)
        {
            if (name is null || !declared.TryGetValue(name, out var domain))
            {
                return Refusal.BadRequest(AccessErrors.InvalidLinkage, declared.Count == 0
                    ? $"unknown linkage domain '{name}': the desensitisation policy declares none"
                    : $"unknown linkage domain '{name}'; the desensitisation policy declares {string.Join(", ", declared.Keys.Select(k => $"'{k}'"))}");
            }
            if (!Links(domain, dataset, columns))
            {
                return Refusal.BadRequest(AccessErrors.InvalidLinkage,
                    $"linkage domain '{name}' links columns tagged {string.Join(", ", domain.Tags)}, and none of the columns in question of '{dataset.Id}' has such a tag");
            }
        }
        return null;
    }

    /// <summary>Whether a column in question (<paramref name="columns"/>, or all the dataset's) carries a tag of the domain.</summary>
    private static bool Links(LinkageDomain domain, DatasetSchema dataset, IReadOnlyList<string>? columns) =>
        dataset.Columns.Any(c => (columns is null || columns.Contains(c.Name)) && c.Tag is not null && domain.Tags.Contains(c.Tag));

    /// <summary>Linkage domains as stored: null for none, so a request without linkage reads as before.</summary>
    private static string? LinkageJson(IEnumerable<string>? linkage) =>
        linkage?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } list ? AccessRequestRow.Json(list) : null;

    /// <summary>The caller's requests (requester), those on its datasets (reviewer), or both; operators review them all.</summary>
    public Task<Outcome<AccessRequestList>> ListAsync(ClaimsPrincipal user, string? role, string? status, CancellationToken cancellationToken) =>
        ListAsync(user, role, status, measureRisk: true, cancellationToken);

    /// <summary>
    /// As <see cref="ListAsync(ClaimsPrincipal, string?, string?, CancellationToken)"/>; without <paramref name="measureRisk"/> the
    /// views carry no risk (a history of past requests, where the figure of each would cost a count of rows for nothing).
    /// </summary>
    public async Task<Outcome<AccessRequestList>> ListAsync(ClaimsPrincipal user, string? role, string? status, bool measureRisk, CancellationToken cancellationToken)
    {
        if (role is not (null or "requester" or "reviewer"))
        {
            return Refusal.BadRequest(CommonErrors.InvalidParameter, "role is requester or reviewer");
        }
        if (status is not null && !AccessWorkflow.States.Contains(status))
        {
            return Refusal.BadRequest(CommonErrors.InvalidParameter, $"status is one of {string.Join(", ", AccessWorkflow.States)}");
        }
        // Requesters see their own requests, owners those on their datasets; the operator reviews (and sees) them all.
        var tenant = user.TenantId() ?? "";
        var rows = IsOperator(user) && role != "requester"
            ? await store.ListAsync(null, null, status, role == "reviewer" ? null : tenant, cancellationToken)
            : await store.ListAsync(role == "reviewer" ? null : tenant, role == "requester" ? null : tenant, status, role == "reviewer" ? null : tenant, cancellationToken);
        var events = (await store.EventsAsync(rows.Select(r => r.Id).ToList(), cancellationToken)).ToLookup(e => e.RequestId);
        var items = new List<AccessRequestView>(rows.Count);
        foreach (var r in rows)
        {
            items.Add(ToView(r, events[r.Id]) with { Risk = measureRisk ? await RiskAsync(user, r, cancellationToken) : null });
        }
        return new AccessRequestList(items);
    }

    /// <summary>
    /// How many requests await the caller's decision: the number the console's inbox tab shows. An owner's reviewers decide the
    /// submitted requests on its datasets; the operator, the second (platform) stage of every owner-approved L3 request.
    /// </summary>
    public async Task<int> AwaitingOwnerAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.TenantId() is not { } tenant || !user.HasScope(Scopes.AccessReview))
        {
            return 0;
        }
        return IsOperator(user)
            ? await store.CountAsync(null, AccessWorkflow.OwnerApproved, cancellationToken)
            : await store.CountAsync(tenant, AccessWorkflow.Submitted, cancellationToken);
    }

    /// <summary>
    /// Operators: since when each request awaiting a decision has waited, by stage (<c>submitted</c>: the owner's,
    /// <c>owner_approved</c>: the platform's) — the platform's figures of pending reviews by age. Anyone else: forbidden.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<(string Status, DateTimeOffset Since)>>> WaitingAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!IsOperator(user))
        {
            return Refusal.Forbidden(CommonErrors.InsufficientScope, "this needs the platform:admin scope");
        }
        var rows = await store.WaitingAsync([AccessWorkflow.Submitted, AccessWorkflow.OwnerApproved], cancellationToken);
        return rows.Select(r => (r.Status, r.UpdatedAt)).ToList();
    }

    /// <summary>A request with its history, when the caller is one of its sides or the operator.</summary>
    public async Task<Outcome<AccessRequestView>> GetAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        return row is null || !CanSee(user, row) ? NotFound(id) : (await ViewAsync(user, row, cancellationToken));
    }

    /// <summary>The reviewer of the request's stage approves (possibly narrowing), rejects or asks for changes.</summary>
    public async Task<Outcome<AccessRequestView>> DecideAsync(ClaimsPrincipal user, string id, AccessDecision body, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        if (row is null || !CanSee(user, row))
        {
            return NotFound(id);
        }
        AccessAction? action = body.Decision switch
        {
            "approve" => AccessAction.Approve,
            "reject" => AccessAction.Reject,
            "request-changes" => AccessAction.RequestChanges,
            _ => null,
        };
        var errors = new Dictionary<string, string[]>();
        if (action is null)
        {
            errors["decision"] = ["decision is approve, reject or request-changes"];
        }
        if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 2000)
        {
            errors["reason"] = ["every decision gives its reason (at most 2000 characters); the requester reads it"];
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        var next = AccessWorkflow.Next(row.Status, action!.Value, row.PlatformReview);
        if (next is null)
        {
            return Refusal.Conflict(AccessErrors.InvalidTransition, $"request '{id}' is {row.Status}: it is not awaiting a decision");
        }
        // Who decides depends on the stage: the dataset's owner first, the platform for the second stage of L3.
        var platformStage = AccessWorkflow.PlatformDecides(row.Status);
        if (platformStage ? !IsOperator(user) : user.TenantId() != row.OwnerId)
        {
            return Refusal.Forbidden(AccessErrors.NotReviewer, platformStage
                ? $"request '{id}' awaits the platform's security review; only the operator decides it now"
                : $"request '{id}' awaits the decision of '{row.OwnerId}', the dataset's owner");
        }
        var now = clock.GetUtcNow();
        var after = row.Clone();
        after.Status = next;
        after.UpdatedAt = now;
        GrantRow? grant = null;
        if (action == AccessAction.Approve)
        {
            var dataset = await directory.FindAsync(row.DatasetId, cancellationToken);
            var allowed = AccessRequestRow.List(row.ApprovedColumns) ?? AccessRequestRow.List(row.Columns) ?? dataset!.Columns.Select(c => c.Name).ToList();
            var latest = row.ApprovedExpiresAt ?? now.AddDays(row.DurationDays);
            if (row.Kind == AccessKind.Verify && (body.Columns is not null || body.Linkage is not null))
            {
                errors["columns"] = ["a verify grant names no columns and no linkage: the dataset's verification decides what is compared"];
            }
            else if (body.Columns is not null && (body.Columns.Count == 0 || body.Columns.Any(c => !allowed.Contains(c))))
            {
                errors["columns"] = [$"an approval may narrow the columns to some of {string.Join(", ", allowed)}, not widen them"];
            }
            if (body.ExpiresAt is { } expires && (expires <= now || expires > latest))
            {
                errors["expiresAt"] = [$"expiresAt lies after now and no later than {latest:O} (the duration asked for)"];
            }
            if (errors.Count > 0)
            {
                return Refusal.Validation(errors);
            }
            var columns = body.Columns?.Distinct().ToList() ?? allowed;
            var allColumns = dataset!.Columns.Count == columns.Count && row.Columns is null && row.ApprovedColumns is null && body.Columns is null;
            after.ApprovedColumns = allColumns ? null : AccessRequestRow.Json(columns);
            // Kept in UTC like every instant: PostgreSQL's driver refuses any other offset for timestamptz (expiresAt may say +08:00).
            after.ApprovedExpiresAt = (body.ExpiresAt ?? latest).ToUniversalTime();

            // Linkage is the owner's to approve (asked for or not): absent, what was asked. The platform's review may only narrow it.
            var ownerApproved = AccessRequestRow.List(row.ApprovedLinkage) ?? [];
            if (platformStage && body.Linkage is not null && body.Linkage.Any(l => !ownerApproved.Contains(l)))
            {
                return Refusal.BadRequest(AccessErrors.InvalidLinkage,
                    $"the platform's review may narrow the linkage the owner approved ({(ownerApproved.Count == 0 ? "none" : string.Join(", ", ownerApproved))}), not widen it");
            }
            if (CheckLinkage(dataset, columns, body.Linkage) is { } badLinkage)
            {
                return badLinkage;
            }
            var linkage = body.Linkage ?? (platformStage ? ownerApproved : AccessRequestRow.List(row.Linkage) ?? []);
            // What was asked and is not given explicitly keeps only the domains some granted column is in, so a narrowing of columns narrows it too.
            after.ApprovedLinkage = LinkageJson(linkage.Where(l => desensitisation.Linkage.TryGetValue(l, out var d) && Links(d, dataset, columns)));
            if (next == AccessWorkflow.Approved)
            {
                grant = new GrantRow
                {
                    Id = AccessStore.NewId("gr_"),
                    RequestId = row.Id,
                    TenantId = row.RequesterId,
                    DatasetKey = row.DatasetKey,
                    DatasetId = row.DatasetId,
                    OwnerId = row.OwnerId,
                    AppId = row.AppId,
                    Columns = after.ApprovedColumns,
                    Linkage = after.ApprovedLinkage,
                    Purpose = row.Purpose,
                    Kind = row.Kind,
                    CreatedAt = now,
                    ExpiresAt = after.ApprovedExpiresAt.Value,
                };
                after.GrantId = grant.Id;
            }
        }
        var change = new AccessEventRow
        {
            RequestId = row.Id, At = now, Actor = platformStage ? "platform" : user.TenantId()!, Action = body.Decision!, FromStatus = row.Status, ToStatus = next,
            Reason = body.Reason!.Trim(), Columns = after.ApprovedColumns, Linkage = action == AccessAction.Approve ? after.ApprovedLinkage : null,
            ExpiresAt = action == AccessAction.Approve ? after.ApprovedExpiresAt : null,
        };
        var entries = new List<Audit.AuditEvent>
        {
            Entry(user, "access_request.decided", row, ("request", row.Id), ("decision", body.Decision), ("from", row.Status), ("to", next), ("reason", change.Reason),
                ("columns", AccessRequestRow.List(after.ApprovedColumns)), ("linkage", AccessRequestRow.List(change.Linkage)), ("expiresAt", change.ExpiresAt)),
        };
        if (grant is not null)
        {
            entries.Add(Entry(user, "grant.created", row, ("grant", grant.Id), ("request", row.Id), ("kind", grant.Kind), ("columns", AccessRequestRow.List(grant.Columns)),
                ("linkage", AccessRequestRow.List(grant.Linkage)), ("expiresAt", grant.ExpiresAt)));
        }
        var notice = new AccessStore.Notice(row.RequesterId, Webhooks.WebhookEvents.Decided,
            new { request = row.Id, datasetId = row.DatasetId, decision = body.Decision, status = next, reason = change.Reason, grant = grant?.Id, expiresAt = grant?.ExpiresAt });
        if (!await store.TransitionAsync(row, after, change, grant, entries, notice, cancellationToken))
        {
            return Refusal.Conflict(AccessErrors.InvalidTransition, $"request '{id}' was decided by someone else a moment ago: read it again");
        }
        grants.Forget(row.RequesterId, row.DatasetKey);
        return (await ViewAsync(user, (await store.FindAsync(id, cancellationToken))!, cancellationToken));
    }

    /// <summary>How long a draft asks for until its requester says otherwise.</summary>
    public const int DraftDurationDays = 90;

    /// <summary>
    /// A draft request the platform makes for <paramref name="tenant"/> (e.g. from what its sandbox app read), for the app
    /// <paramref name="appId"/> and exactly the <paramref name="columns"/> still in the dataset (in the dataset's order): not
    /// submitted, no owner sees it; its requester completes and submits it. <paramref name="purpose"/> prefills its purpose ("" for
    /// none); <paramref name="reason"/> is what its history says made it. Null when the dataset needs no request of this tenant
    /// (open data, its own, gone) or none of the columns is still one of the dataset's.
    /// </summary>
    public async Task<AccessRequestView?> DraftAsync(string tenant, string? appId, string datasetId, IReadOnlyCollection<string> columns, string reason,
        string purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var dataset = await directory.FindAsync(datasetId, cancellationToken);
        if (dataset is null || dataset.OwnerId == tenant)
        {
            return null;
        }
        var level = classification.For(dataset.Classification);
        var kept = dataset.Columns.Select(c => c.Name).Where(columns.Contains).ToList();
        if (level.RowsNeed != RowsNeed.Grant || kept.Count == 0)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var row = new AccessRequestRow
        {
            Id = AccessStore.NewId("ar_"),
            DatasetKey = dataset.Key,
            DatasetId = dataset.Id,
            OwnerId = dataset.OwnerId,
            RequesterId = tenant,
            AppId = appId,
            Columns = AccessRequestRow.Json(kept),
            Purpose = purpose ?? "",
            DurationDays = DraftDurationDays,
            Status = AccessWorkflow.Draft,
            PlatformReview = level.Approvals.Contains(Approver.Platform),
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var first = new AccessEventRow
        {
            RequestId = row.Id, Seq = 1, At = now, Actor = "platform", Action = "draft", ToStatus = row.Status, Reason = reason, Columns = row.Columns,
        };
        // Until it is submitted a draft is the requester's business alone: its entry is the requester's, not the dataset owner's.
        var entry = new Audit.AuditEvent("access_request.drafted", tenant, "platform", row.DatasetId, tenant, tenant,
            Audit.AuditDetails.Of(("request", row.Id), ("columns", kept), ("app", appId), ("reason", reason)));
        await store.InsertAsync(row, first, entry, null, cancellationToken);
        return ToView(row, [first]);
    }

    /// <summary>The requester changes a draft (columns, purpose, duration, app, linkage) without submitting it.</summary>
    public Task<Outcome<AccessRequestView>> EditDraftAsync(ClaimsPrincipal user, string id, AccessDraftChange? body, CancellationToken cancellationToken) =>
        DraftActionAsync(user, id, body, submit: false, cancellationToken);

    /// <summary>The requester submits a draft, optionally changing it first: from then on it is a request like any other, in its owner's inbox.</summary>
    public Task<Outcome<AccessRequestView>> SubmitDraftAsync(ClaimsPrincipal user, string id, AccessDraftChange? body, CancellationToken cancellationToken) =>
        DraftActionAsync(user, id, body, submit: true, cancellationToken);

    private async Task<Outcome<AccessRequestView>> DraftActionAsync(ClaimsPrincipal user, string id, AccessDraftChange? body, bool submit, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        if (row is null || !CanSee(user, row))
        {
            return NotFound(id);
        }
        var tenant = user.TenantId();
        if (tenant != row.RequesterId)
        {
            return Refusal.Forbidden(AccessErrors.NotRequester, $"only '{row.RequesterId}', whose request '{id}' is, can {(submit ? "submit" : "edit")} it");
        }
        if (row.Status != AccessWorkflow.Draft)
        {
            return Refusal.Conflict(AccessErrors.InvalidTransition, $"request '{id}' is {row.Status}: only a draft is edited or submitted this way"
                + (row.Status == AccessWorkflow.ChangesRequested ? $"; resubmit it (POST /v1/access-requests/{id}/resubmit)" : ""));
        }
        var dataset = await directory.FindAsync(row.DatasetId, cancellationToken);
        if (dataset is null)
        {
            return DatasetDirectory.NotFound(row.DatasetId);
        }
        var after = row.Clone();
        after.Columns = body?.Columns is null ? row.Columns : AccessRequestRow.Json(body.Columns.Distinct().ToList());
        after.Purpose = body?.Purpose?.Trim() ?? row.Purpose;
        after.DurationDays = body?.DurationDays ?? row.DurationDays;
        after.AppId = body?.AppId is null ? row.AppId : body.AppId.Length == 0 ? null : body.AppId;
        after.Linkage = body?.Linkage is null ? row.Linkage : LinkageJson(body.Linkage);
        var columns = AccessRequestRow.List(after.Columns);
        var errors = new Dictionary<string, string[]>();
        Check(dataset, columns, after.Purpose, after.DurationDays, errors);
        if (!submit && after.Purpose.Length == 0)
        {
            // A draft saved may still lack its purpose; one submitted is checked as a new request is.
            errors.Remove("purpose");
        }
        if (classification.For(dataset.Classification).RowsNeed != RowsNeed.Grant)
        {
            errors["datasetId"] = [$"'{dataset.Id}' is {dataset.Classification.ToString().ToLowerInvariant()} data now: its rows need no request; withdraw this draft"];
        }
        if (after.AppId is not null && await tenancy.EnabledAppTenantAsync(after.AppId, cancellationToken) != tenant)
        {
            errors["appId"] = ["appId is the client_id of one of the caller's own enabled apps"];
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        if (body?.Linkage is not null && CheckLinkage(dataset, columns, body.Linkage) is { } badLinkage)
        {
            return badLinkage;
        }
        if (submit && await store.HasOpenRequestAsync(row.RequesterId, row.DatasetKey, row.Kind, cancellationToken))
        {
            return Refusal.Conflict(AccessErrors.RequestOpen, $"the caller already has an open request for '{row.DatasetId}': withdraw it or this draft (see GET /v1/access-requests?role=requester)");
        }
        var now = clock.GetUtcNow();
        after.Status = submit ? AccessWorkflow.Submitted : AccessWorkflow.Draft;
        after.UpdatedAt = now;
        var change = new AccessEventRow
        {
            RequestId = row.Id, At = now, Actor = row.RequesterId, Action = submit ? "submit" : "edit", FromStatus = row.Status, ToStatus = after.Status,
            Columns = after.Columns, Linkage = after.Linkage,
        };
        var entry = submit
            ? Entry(user, "access_request.submitted", row, ("request", row.Id), ("columns", columns), ("linkage", AccessRequestRow.List(after.Linkage)),
                ("durationDays", after.DurationDays), ("draft", true))
            : new Audit.AuditEvent("access_request.draft_edited", tenant, user.Actor(), row.DatasetId, tenant, tenant,
                Audit.AuditDetails.Of(("request", row.Id), ("columns", columns), ("durationDays", after.DurationDays)));
        var notice = submit
            ? new AccessStore.Notice(row.OwnerId, Webhooks.WebhookEvents.Submitted,
                new { request = row.Id, datasetId = row.DatasetId, requester = row.RequesterId, columns, after.Purpose, after.DurationDays })
            : null;
        if (!await store.TransitionAsync(row, after, change, null, [entry], notice, cancellationToken))
        {
            return Refusal.Conflict(AccessErrors.InvalidTransition, $"request '{id}' changed a moment ago: read it again");
        }
        if (submit)
        {
            grants.Forget(row.RequesterId, row.DatasetKey);
        }
        return await ViewAsync(user, (await store.FindAsync(id, cancellationToken))!, cancellationToken);
    }

    /// <summary>The requester withdraws an open request.</summary>
    public Task<Outcome<AccessRequestView>> WithdrawAsync(ClaimsPrincipal user, string id, AccessChange? body, CancellationToken cancellationToken) =>
        RequesterActionAsync(user, id, AccessAction.Withdraw, body, cancellationToken);

    /// <summary>The requester resubmits after changes were requested.</summary>
    public Task<Outcome<AccessRequestView>> ResubmitAsync(ClaimsPrincipal user, string id, AccessChange? body, CancellationToken cancellationToken) =>
        RequesterActionAsync(user, id, AccessAction.Resubmit, body, cancellationToken);

    private async Task<Outcome<AccessRequestView>> RequesterActionAsync(
        ClaimsPrincipal user, string id, AccessAction action, AccessChange? body, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        if (row is null || !CanSee(user, row))
        {
            return NotFound(id);
        }
        if (user.TenantId() != row.RequesterId)
        {
            return Refusal.Forbidden(AccessErrors.NotRequester, $"only '{row.RequesterId}', who made request '{id}', can {AccessWorkflow.Name(action)} it");
        }
        var next = AccessWorkflow.Next(row.Status, action, row.PlatformReview);
        if (next is null)
        {
            return Refusal.Conflict(AccessErrors.InvalidTransition, action == AccessAction.Resubmit
                ? $"request '{id}' is {row.Status}: only a request whose owner asked for changes can be resubmitted"
                : $"request '{id}' is {row.Status}: only an open request can be withdrawn");
        }
        var after = row.Clone();
        after.Status = next;
        after.UpdatedAt = clock.GetUtcNow();
        if (action == AccessAction.Resubmit && body is not null)
        {
            var dataset = await directory.FindAsync(row.DatasetId, cancellationToken);
            var errors = new Dictionary<string, string[]>();
            Check(dataset!, body.Columns, body.Purpose ?? row.Purpose, body.DurationDays ?? row.DurationDays, errors);
            if (errors.Count > 0)
            {
                return Refusal.Validation(errors);
            }
            if (CheckLinkage(dataset!, body.Columns ?? AccessRequestRow.List(row.Columns), body.Linkage) is { } badLinkage)
            {
                return badLinkage;
            }
            after.Columns = body.Columns is null ? row.Columns : AccessRequestRow.Json(body.Columns.Distinct().ToList());
            after.Linkage = body.Linkage is null ? row.Linkage : LinkageJson(body.Linkage);
            after.ApprovedLinkage = null;
            after.Purpose = body.Purpose?.Trim() ?? row.Purpose;
            after.DurationDays = body.DurationDays ?? row.DurationDays;
            after.ApprovedColumns = null;
            after.ApprovedExpiresAt = null;
        }
        var change = new AccessEventRow
        {
            RequestId = row.Id, At = after.UpdatedAt, Actor = row.RequesterId, Action = AccessWorkflow.Name(action), FromStatus = row.Status, ToStatus = next,
            Reason = body?.Reason?.Trim(), Columns = after.Columns, Linkage = after.Linkage,
        };
        var entry = Entry(user, action == AccessAction.Withdraw ? "access_request.withdrawn" : "access_request.resubmitted", row,
            ("request", row.Id), ("from", row.Status), ("to", next), ("reason", change.Reason), ("columns", AccessRequestRow.List(after.Columns)));
        if (!await store.TransitionAsync(row, after, change, null, [entry], null, cancellationToken))
        {
            return Refusal.Conflict(AccessErrors.InvalidTransition, $"request '{id}' changed a moment ago: read it again");
        }
        grants.Forget(row.RequesterId, row.DatasetKey);
        return (await ViewAsync(user, (await store.FindAsync(id, cancellationToken))!, cancellationToken));
    }

    /// <summary>Active and past grants: the caller's own and those on its datasets; operators see all.</summary>
    public async Task<GrantList> ListGrantsAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var tenant = user.TenantId() ?? "";
        var rows = IsOperator(user) ? await store.GrantsAsync(null, null, cancellationToken) : await store.GrantsAsync(tenant, tenant, cancellationToken);
        var now = clock.GetUtcNow();
        return (new GrantList(rows.Select(g => ToView(g, now)).ToList()));
    }

    /// <summary>The dataset's owner or the operator revokes a grant; reads stop on the next request.</summary>
    public async Task<Outcome<GrantView>> RevokeAsync(ClaimsPrincipal user, string id, GrantRevocation? body, CancellationToken cancellationToken)
    {
        var grant = await store.GrantAsync(id, cancellationToken);
        var tenant = user.TenantId();
        if (grant is null || !(IsOperator(user) || tenant == grant.OwnerId || tenant == grant.TenantId))
        {
            return Refusal.NotFound(AccessErrors.GrantNotFound, $"no grant '{id}' is visible to the caller");
        }
        if (!IsOperator(user) && tenant != grant.OwnerId)
        {
            return Refusal.NotFound(AccessErrors.GrantNotFound, $"grant '{id}' can only be revoked by the dataset's owner or the operator");
        }
        if (string.IsNullOrWhiteSpace(body?.Reason) || body.Reason.Length > 2000)
        {
            return Refusal.Validation(new Dictionary<string, string[]> { ["reason"] = ["a revocation gives its reason (at most 2000 characters)"] });
        }
        var now = clock.GetUtcNow();
        var entry = new Audit.AuditEvent("grant.revoked", tenant, user.Actor(), grant.DatasetId, grant.OwnerId, grant.TenantId,
            Audit.AuditDetails.Of(("grant", grant.Id), ("request", grant.RequestId), ("reason", body.Reason.Trim())));
        var notice = new AccessStore.Notice(grant.TenantId, Webhooks.WebhookEvents.Revoked, new { grant = grant.Id, datasetId = grant.DatasetId, reason = body.Reason.Trim() });
        if (!await store.RevokeAsync(id, IsOperator(user) && tenant != grant.OwnerId ? "platform" : tenant!, body.Reason.Trim(), now, entry, notice, cancellationToken))
        {
            return Refusal.Conflict(AccessErrors.GrantRevoked, $"grant '{id}' is revoked already");
        }
        grants.Forget(grant.TenantId, grant.DatasetKey);
        return (ToView((await store.GrantAsync(id, cancellationToken))!, now));
    }

    /// <summary>
    /// The requests a tenant made for one of its apps (by client id), drafts included, each with its grant's status once approved:
    /// the landing figures of a contest winner's live app. No rule of who may see them: the caller decides (the contest showcase
    /// shows a winner's live app publicly), and nothing here names a person or a column.
    /// </summary>
    public async Task<IReadOnlyList<AppAccess>> OfAppAsync(string tenant, string appClientId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var result = new List<AppAccess>();
        foreach (var request in await store.OfAppAsync(tenant, appClientId, cancellationToken))
        {
            var grant = request.GrantId is null ? null : await store.GrantAsync(request.GrantId, cancellationToken);
            var view = grant is null ? null : ToView(grant, now);
            result.Add(new AppAccess(request.Id, request.DatasetId, request.Status, view?.Id, view?.Status, view?.ExpiresAt));
        }
        return result;
    }

    /// <summary>An audit entry about a request: the actor, the dataset and its owner, and the requester it concerns.</summary>
    private static Audit.AuditEvent Entry(ClaimsPrincipal user, string type, AccessRequestRow r, params (string Key, object? Value)[] details) =>
        new(type, user.TenantId(), user.Actor(), r.DatasetId, r.OwnerId, r.RequesterId, Audit.AuditDetails.Of(details));

    private async Task<AccessRequestView> ViewAsync(ClaimsPrincipal user, AccessRequestRow row, CancellationToken cancellationToken) =>
        ToView(row, await store.EventsAsync([row.Id], cancellationToken)) with { Risk = await RiskAsync(user, row, cancellationToken) };

    /// <summary>
    /// What the reviewers weigh: the re-identification risk of the view a grant of the columns asked for (narrowed by the owner's
    /// approval, once given) would show the requester, measured on read on the current version. The requester does not get it: it
    /// is a figure about rows it may not read yet.
    /// </summary>
    private async Task<Risk.ReidentificationRisk?> RiskAsync(ClaimsPrincipal user, AccessRequestRow row, CancellationToken cancellationToken) =>
        row.Kind == AccessKind.Records && (IsOperator(user) || user.TenantId() == row.OwnerId)
            ? await risk.ForGrantAsync(row.DatasetId, row.RequesterId, AccessRequestRow.List(row.ApprovedColumns ?? row.Columns), cancellationToken)
            : null;

    private static AccessRequestView ToView(AccessRequestRow r, IEnumerable<AccessEventRow> events) =>
        new(r.Id, r.DatasetId, r.OwnerId, r.RequesterId, r.AppId, AccessRequestRow.List(r.Columns), AccessRequestRow.List(r.Linkage) ?? [], r.Purpose, r.DurationDays,
            r.Status, r.PlatformReview, r.GrantId, r.CreatedAt, r.UpdatedAt,
            events.OrderBy(e => e.Seq).Select(e => new AccessRequestEvent(e.At, e.Actor, e.Action, e.FromStatus, e.ToStatus, e.Reason, AccessRequestRow.List(e.Columns),
                AccessRequestRow.List(e.Linkage), e.ExpiresAt)).ToList()) { Kind = r.Kind };

    private static GrantView ToView(GrantRow g, DateTimeOffset now) =>
        new(g.Id, g.RequestId, g.DatasetId, g.OwnerId, g.TenantId, g.AppId, AccessRequestRow.List(g.Columns), AccessRequestRow.List(g.Linkage) ?? [], g.Purpose, g.CreatedAt, g.ExpiresAt,
            g.RevokedAt, g.RevokeReason, g.RevokedAt is not null ? "revoked" : g.ExpiresAt <= now ? "expired" : "active") { Kind = g.Kind };
}
