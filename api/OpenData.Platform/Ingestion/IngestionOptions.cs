using System.ComponentModel.DataAnnotations;

namespace OpenData.Platform.Ingestion;

/// <summary>Limits of uploads (section <c>OpenData:Ingestion</c>).</summary>
internal sealed class IngestionOptions
{
    public const string Section = "OpenData:Ingestion";

    /// <summary>The largest CSV body accepted, in bytes (default 1 GiB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 1L << 30;

    /// <summary>How many row errors a job keeps to show (the count of rejected rows is always complete).</summary>
    [Range(1, 1000)]
    public int MaxReportedErrors { get; set; } = 20;

    /// <summary>How many retired versions' tables are kept for cursors still walking them.</summary>
    [Range(0, 10)]
    public int RetainedVersions { get; set; } = 1;
}
