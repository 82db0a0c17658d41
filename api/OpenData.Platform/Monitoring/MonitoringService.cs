using System.Globalization;
using System.Security.Claims;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Quotas;

namespace OpenData.Platform.Monitoring;

/// <summary>
/// The owner's monitoring (监测预警): the reads of one of its datasets per day by tenant, and the unusual reads and masked values in
/// all of them, over the last <see cref="Days"/> days. Only the datasets the caller's tenant owns are ever shown: another's
/// dataset is not found, and a tenant that owns none sees an empty report.
/// </summary>
internal sealed class MonitoringService(CatalogueBrowse browse, DatasetUsage usage, MonitoringStore store, OutboundMaskTally masks, QuotaDay day)
{
    public const int Days = 30;

    public async Task<Outcome<MonitoringReport>> ReportAsync(ClaimsPrincipal caller, string? datasetId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.TenantId() is not { } owner)
        {
            return Refusal.Forbidden(CommonErrors.InsufficientScope, "monitoring is for the members of a data-owning tenant");
        }
        var (datasets, _) = await browse.PageAsync(new BrowseFilter(null, null, owner, null), BrowseSort.Title, 0, CatalogueBrowse.MaxPageSize, cancellationToken);
        datasets = [.. datasets.Where(d => d.OwnerId == owner)];
        DatasetRow? picked;
        if (string.IsNullOrEmpty(datasetId))
        {
            picked = datasets.FirstOrDefault();
        }
        else if ((picked = datasets.FirstOrDefault(d => d.Id == datasetId)) is null)
        {
            return Refusal.NotFound(CatalogueErrors.DatasetNotFound, $"your organisation owns no dataset '{datasetId}'");
        }
        var to = day.Today;
        var from = to.AddDays(1 - Days);
        var reads = picked is null ? [] : await usage.ByTenantAsync(picked.Id, from, to, cancellationToken);
        // What this node counted but has not written yet is part of the answer.
        await masks.FlushAsync(cancellationToken);
        var fromKey = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var anomalies = await store.AnomaliesAsync(owner, fromKey, cancellationToken);
        var masked = await store.MasksAsync(owner, fromKey, cancellationToken);
        return new MonitoringReport(owner, from, to, datasets, picked, reads, anomalies, masked);
    }
}
