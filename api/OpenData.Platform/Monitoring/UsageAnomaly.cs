namespace OpenData.Platform.Monitoring;

/// <summary>An unusual day of reading: a tenant read a dataset far beyond its habit (raised once per tenant, dataset and day).</summary>
internal sealed record UsageAnomaly(string TenantId, string DatasetId, string Day, string OwnerId, long Rows, double? Median, DateTimeOffset RaisedAt)
{
    /// <summary>How many times its median reading day the tenant read (null: no history).</summary>
    public double? Factor => UsageAnomalyRule.FactorOf(Rows, Median);
}
