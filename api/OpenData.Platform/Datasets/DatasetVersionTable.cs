namespace OpenData.Platform.Datasets;

/// <summary>A published (or just retired) version of a dataset and the table holding its rows.</summary>
internal sealed record DatasetVersionTable(int Version, string TableName, long RowCount);
