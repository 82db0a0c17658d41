using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OpenData.Platform.Monitoring;

/// <summary>
/// Registers monitoring (监测预警): the tally of masked values (a read observer), the detection of unusual reads, the check that
/// runs both at an interval, and the owner's report; and the platform's OpenTelemetry metrics (served at <c>/metrics</c> by
/// <see cref="MetricsEndpoint"/>, pushed by OTLP when configured) and traces.
/// </summary>
internal static class MonitoringModule
{
    /// <summary>The meters exported: the platform's own and its modules' (<c>OpenData.Desensitisation</c>), ASP.NET Core's, HttpClient's, Npgsql's.</summary>
    private static readonly string[] Meters = [PlatformTelemetry.Name, PlatformTelemetry.Name + ".*", "Npgsql"];

    public static IServiceCollection AddMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations()
            .Validate(o => Parses(o.AllowedNetworks), "OpenData:Metrics:AllowedNetworks must list networks in CIDR form (127.0.0.0/8,10.1.0.0/16) or addresses")
            .Validate(o => o.OtlpEndpoint is null or "" || Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out _), "OpenData:Metrics:OtlpEndpoint must be an absolute URL (http://collector:4317)")
            .ValidateOnStart();
        services.AddSingleton<MonitoringStore>();
        services.AddSingleton<OutboundMaskTally>();
        services.AddSingleton<IRecordReadObserver>(s => s.GetRequiredService<OutboundMaskTally>());
        services.AddSingleton<UsageAnomalyDetector>();
        services.AddSingleton<MonitoringService>();
        services.AddHostedService<MonitoringWatch>();
        AddTelemetry(services, configuration);
        return services;
    }

    private static void AddTelemetry(IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        if (!options.Enabled)
        {
            return;
        }
        var otlp = options.OtlpEndpoint is { Length: > 0 } configured ? configured : configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("opendata"));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(Meters)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                // Desensitisation's counter of masked values keeps the dataset and column for in-process readers (its log, its
                // tests); exported, it is summed by kind, so no label grows with the catalogue.
                .AddView(Desensitisation.OutboundLeakLog.CounterName, new MetricStreamConfiguration { TagKeys = ["kind"] })
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = options.ScrapeCacheMilliseconds);
            if (otlp is { Length: > 0 })
            {
                metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
            }
        });
        if (options.Tracing ?? otlp is { Length: > 0 })
        {
            telemetry.WithTracing(tracing =>
            {
                // Parent-based: a caller's sampled traceparent is continued; a trace that starts here is kept at the configured ratio.
                tracing.SetSampler(new OpenTelemetry.Trace.ParentBasedSampler(new OpenTelemetry.Trace.TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                    .AddSource(PlatformTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.Equals(MetricsEndpoint.Path, StringComparison.Ordinal))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
                if (otlp is { Length: > 0 })
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            });
        }
    }

    private static bool Parses(string? networks)
    {
        try
        {
            MetricsEndpoint.ParseNetworks(networks);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
