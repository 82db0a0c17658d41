namespace OpenData.Sandbox.Promotion;

/// <summary>One column of one dataset a sandbox app read: how many rows in all, and when first and last.</summary>
internal sealed class SandboxRead
{
    public string DatasetId { get; set; } = "";
    public string ColumnName { get; set; } = "";
    public long RowsRead { get; set; }
    public DateTimeOffset FirstAt { get; set; }
    public DateTimeOffset LastAt { get; set; }
}
