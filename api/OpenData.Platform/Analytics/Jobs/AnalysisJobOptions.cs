namespace OpenData.Platform.Analytics.Jobs;

/// <summary>Settings of the analysis-job worker (<c>OpenData:AnalysisJobs</c>).</summary>
internal sealed class AnalysisJobOptions
{
    /// <summary>How often the worker looks for queued jobs.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a node holds a job it runs; a job whose lease ran out (its node died) is run again by another.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(10);
}
