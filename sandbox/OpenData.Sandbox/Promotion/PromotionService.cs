using System.Security.Claims;
using OpenData.Platform.Access;
using OpenData.Platform.Audit;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;

namespace OpenData.Sandbox.Promotion;

/// <summary>
/// Promotes a sandbox app to live: a live app of the same tenant with the sandbox app's name, scopes and redirect URIs (its
/// secret answered once), and for each restricted or sensitive dataset the sandbox app read a draft access request for the
/// live app, prefilled with exactly the columns it read there (open datasets need none). Each sandbox app is promoted once:
/// a second promotion answers 409 naming the live app. The sandbox app keeps working in the sandbox.
/// </summary>
internal sealed class PromotionService(
    TenancyService tenancy, AccessService access, SandboxReadStore reads, PromotionStore promotions, AuditLog audit, TimeProvider clock)
{
    public Task<Outcome<AppPromotion>> PromoteAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken) =>
        PromoteAsync(user, id, null, cancellationToken);

    /// <summary>
    /// Promotes as above; <paramref name="purpose"/>, when given, prefills each draft's purpose and heads the reason its history
    /// gives (a contest winner's promotion names the contest and the award there, for the owners to see).
    /// </summary>
    public async Task<Outcome<AppPromotion>> PromoteAsync(ClaimsPrincipal user, string id, string? purpose, CancellationToken cancellationToken)
    {
        var found = await tenancy.FindAppAsync(user, id, cancellationToken);
        if (found.Refusal is { } notFound)
        {
            return notFound;
        }
        var app = found.Value!;
        if (app.Environment != PlatformClaims.SandboxEnvironment)
        {
            return Refusal.Conflict(PromotionErrors.NotSandboxApp,
                $"app '{app.Id}' is a {app.Environment} app: only a sandbox app (created with environment: sandbox) is promoted to live");
        }
        if (!await promotions.ClaimAsync(app.Id, app.TenantId, user.Actor(), clock.GetUtcNow(), cancellationToken))
        {
            var live = await promotions.LiveAppOfAsync(app.Id, cancellationToken);
            return Refusal.Conflict(PromotionErrors.AlreadyPromoted, string.IsNullOrEmpty(live)
                ? $"sandbox app '{app.Id}' is being promoted to live right now"
                : $"sandbox app '{app.Id}' was promoted to live already, as app '{live}'; rotate that app's secret (POST /v1/apps/{live}/secret) if its credentials were lost");
        }
        AppCredentials credentials;
        try
        {
            var created = await tenancy.CreateAppAsync(user, app.TenantId, new NewApp(app.Name, app.Scopes, "live", app.RedirectUris), cancellationToken);
            if (created.Refusal is { } refused)
            {
                await promotions.ReleaseAsync(app.Id, CancellationToken.None);
                return refused;
            }
            credentials = created.Value!;
        }
        catch
        {
            await promotions.ReleaseAsync(app.Id, CancellationToken.None);
            throw;
        }
        // From here the live app exists and its secret is in this answer only: nothing below may lose it.
        await promotions.CompleteAsync(app.Id, credentials.Id, CancellationToken.None);
        var drafts = new List<PromotedDraft>();
        var reason = (purpose is null ? "" : purpose + "; ") + $"prefilled from the columns sandbox app '{app.Id}' ({app.ClientId}) read";
        foreach (var dataset in (await reads.ReadsOfAsync(app.ClientId, CancellationToken.None)).GroupBy(r => r.DatasetId, StringComparer.Ordinal))
        {
            var draft = await access.DraftAsync(app.TenantId, credentials.ClientId, dataset.Key, dataset.Select(r => r.ColumnName).ToHashSet(StringComparer.Ordinal),
                reason, purpose ?? "", CancellationToken.None);
            if (draft is not null)
            {
                drafts.Add(new PromotedDraft(draft.Id, draft.DatasetId, draft.Columns ?? []));
            }
        }
        await audit.AppendAsync(new AuditEvent("app.promoted", user.TenantId(), user.Actor(), null, app.TenantId, app.Id,
            AuditDetails.Of(("app", app.Id), ("clientId", app.ClientId), ("liveApp", credentials.Id), ("liveClientId", credentials.ClientId),
                ("drafts", drafts.Select(d => AuditDetails.Of(("request", d.Id), ("datasetId", d.DatasetId), ("columns", d.Columns))).ToList()))),
            CancellationToken.None);
        return new AppPromotion(app.Id, credentials, drafts);
    }
}
