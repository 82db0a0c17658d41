using System.ComponentModel.DataAnnotations;

namespace OpenData.Platform.Ingestion;

/// <summary>Limits of uploads, where they are staged, and how nodes share the jobs (section <c>OpenData:Ingestion</c>).</summary>
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

    /// <summary>
    /// A folder every node mounts (NFS, a shared volume) where uploads are staged as files. Empty (the default): on PostgreSQL
    /// uploads are staged in the store itself, in chunks, which every node reaches already; on SQLite in the folder of the database
    /// file (<c>uploads/</c>), which every node of one SQLite file shares. A folder only one node sees would tie its jobs to it.
    /// </summary>
    public string? StagingPath { get; set; }

    /// <summary>How long a node holds a job it runs without renewing (it renews every third of this); a job whose node died is taken over after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a node looks for jobs another node took the upload of, or left behind.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long chunks of an upload whose job never appeared (its node died while taking it) are kept before they are swept.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan OrphanStagingAge { get; set; } = TimeSpan.FromDays(1);
}
