namespace OpenData.Platform.Quotas;

/// <summary>
/// Whom a metered request counts against: a tenant (partition <c>t:{id}</c>), a bound app with a plan of its own (<c>a:{clientId}</c>)
/// or, without a token, a client IP (<c>ip:{address}</c>),
/// with the plan and effective limits. Admission puts it on the request (<see cref="Microsoft.AspNetCore.Http.HttpContext.Features"/>)
/// with the request's usage counters.
/// </summary>
internal sealed class QuotaSubject(string partition, string? tenantId, string? appId, string plan, PlanLimits limits, string? policy = null)
{
    /// <summary>The prefix of the RateLimit policy items (<c>"{policy}/daily"</c>) when the plan is an app's own from an <see cref="IAppPlanSource"/>; else null.</summary>
    public string? Policy { get; } = policy;

    public string Partition { get; } = partition;

    public string? TenantId { get; } = tenantId;

    public string? AppId { get; } = appId;

    public string Plan { get; } = plan;

    public PlanLimits Limits { get; } = limits;

    private readonly Lock _gate = new();
    private Dictionary<string, long>? _rows;

    /// <summary>Counts rows read from a dataset (by the row allowance, as pages and exports settle); one GraphQL request may read several.</summary>
    public void AddRows(string datasetId, long rows)
    {
        lock (_gate)
        {
            _rows ??= new Dictionary<string, long>(StringComparer.Ordinal);
            _rows[datasetId] = _rows.GetValueOrDefault(datasetId) + rows;
        }
    }

    /// <summary>The rows this request read, per dataset.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> RowsByDataset
    {
        get
        {
            lock (_gate)
            {
                return _rows?.ToList() ?? [];
            }
        }
    }
}
