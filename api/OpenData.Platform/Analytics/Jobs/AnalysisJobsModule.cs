using Microsoft.Extensions.DependencyInjection;

namespace OpenData.Platform.Analytics.Jobs;

/// <summary>Registers analysis jobs (part 3 of issue 18); <see cref="AnalyticsModule"/> calls it.</summary>
internal static class AnalysisJobsModule
{
    public static IServiceCollection AddAnalysisJobs(this IServiceCollection services)
    {
        services.AddOptions<AnalysisJobOptions>().BindConfiguration("OpenData:AnalysisJobs");
        services.AddSingleton<AnalysisJobStore>();
        services.AddSingleton<AnalysisJobService>();
        services.AddHostedService<AnalysisJobWorker>();
        return services;
    }
}
