using System.Security.Claims;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>
/// The owner's aggregate access of one dataset, read and changed by <c>GET</c>/<c>PUT /v1/datasets/{id}/aggregate-access</c> and by the
/// owner's console page alike: another tenant's dataset reads as none (404, as for the owner's other dataset routes); a change is
/// checked against the dataset (<see cref="AggregateAccess.From"/>) and audited as <c>aggregate_access.changed</c>.
/// </summary>
internal sealed class AggregateAccessSettings(DatasetDirectory directory, AggregateAccessStore store)
{
    /// <summary>What a dataset's owner has not set yet: switched off, with the defaults.</summary>
    public static AggregateAccess Default { get; } =
        new(false, AggregateAccess.DefaultK, AggregateAccess.DefaultEpsilon, AggregateAccess.DefaultDailyBudget, AggregateAccess.DefaultDominance, [], new Dictionary<string, double>());

    public async Task<Outcome<AggregateAccess>> GetAsync(ClaimsPrincipal user, string datasetId, CancellationToken cancellationToken)
    {
        var dataset = await OwnedAsync(user, datasetId, cancellationToken);
        if (dataset is null)
        {
            return DatasetDirectory.NotFound(datasetId);
        }
        return await store.FindAsync(dataset.Id, cancellationToken) ?? Default;
    }

    public async Task<Outcome<AggregateAccess>> SetAsync(ClaimsPrincipal user, string datasetId, AggregateAccessRequest body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var dataset = await OwnedAsync(user, datasetId, cancellationToken);
        if (dataset is null)
        {
            return DatasetDirectory.NotFound(datasetId);
        }
        if (!user.HasScope(Scopes.DatasetsWrite))
        {
            return Refusal.Forbidden(CommonErrors.InsufficientScope, "changing a dataset's aggregate access needs the datasets:write scope");
        }
        var access = AggregateAccess.From(body, dataset);
        if (access.Refusal is not null)
        {
            return access;
        }
        var value = access.Value!;
        var tenant = user.TenantId()!;
        await store.SaveAsync(dataset.Id, value, user.Actor() ?? tenant, new Audit.AuditEvent("aggregate_access.changed", tenant, user.Actor(), dataset.Id,
            dataset.OwnerId, null, Audit.AuditDetails.Of(("enabled", value.Enabled), ("k", value.K), ("epsilon", value.Epsilon), ("dailyBudget", value.DailyBudget),
                ("dominance", value.Dominance), ("groupable", value.Groupable), ("bounds", value.Bounds.Keys.Order(StringComparer.Ordinal).ToList()))), cancellationToken);
        return value;
    }

    /// <summary>The dataset when the caller's tenant owns it, else null (read as none).</summary>
    private async Task<DatasetSchema?> OwnedAsync(ClaimsPrincipal user, string datasetId, CancellationToken cancellationToken)
    {
        var dataset = await directory.FindAsync(datasetId, cancellationToken);
        return dataset is not null && dataset.OwnerId == user.TenantId() ? dataset : null;
    }
}
