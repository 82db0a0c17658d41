namespace OpenData.Platform.Monitoring;

/// <summary>Values the outbound check masked in one column of a dataset on one day, by kind of personal data: counts, never a value.</summary>
internal sealed record OutboundMask(string DatasetId, string Day, string Column, string Kind, long Masked, long Reads, DateTimeOffset FirstAt, DateTimeOffset LastAt);
