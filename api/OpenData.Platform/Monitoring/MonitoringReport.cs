using OpenData.Platform.Catalogue;
using OpenData.Platform.Quotas;

namespace OpenData.Platform.Monitoring;

/// <summary>
/// What an owner watches over <see cref="From"/>–<see cref="To"/> (quota days): its datasets, the reads per day by tenant of the
/// one picked (<see cref="Dataset"/>, null when it owns none), and the unusual reads and masked values in all of them.
/// </summary>
internal sealed record MonitoringReport(string OwnerId, DateOnly From, DateOnly To, IReadOnlyList<DatasetRow> Datasets, DatasetRow? Dataset,
    IReadOnlyList<TenantDayReads> Reads, IReadOnlyList<UsageAnomaly> Anomalies, IReadOnlyList<OutboundMask> Masks);
