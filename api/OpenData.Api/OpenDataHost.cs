using Microsoft.OpenApi;
using OpenData.Api.Cli;
using OpenData.Api.OpenApi;
using OpenData.Platform.Hosting;
using OpenData.Platform.Monitoring;
using OpenData.Platform.Quotas;
using OpenData.Portal;
using OpenData.Sandbox;

namespace OpenData.Api;

/// <summary>The host: serves the API, or runs one operator command (<see cref="OperatorCommand"/>) and exits.</summary>
internal static class OpenDataHost
{
    /// <param name="args">The command line: a command and its options, and settings (<c>--OpenData:X=…</c>).</param>
    /// <param name="configured">Told the configuration once it is read, so a start-up failure can name the settings involved.</param>
    public static async Task<int> RunAsync(string[] args, Action<IConfiguration>? configured = null)
    {
        args = CommandLineKeys.Normalise(args);
        var command = OperatorCommand.Parse(args);
        // Configuration files live beside the binary, whatever folder the host is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = command?.HostArgs ?? args,
            ContentRootPath = AppContext.BaseDirectory,
            // `dotnet run`'s launch profile names Development only as a default: an ASPNETCORE_ENVIRONMENT or DOTNET_ENVIRONMENT
            // the caller sets wins (a profile's own ASPNETCORE_ENVIRONMENT would silently override it).
            EnvironmentName = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"))
                && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"))
                ? Environment.GetEnvironmentVariable("OPENDATA_DEFAULT_ENVIRONMENT") is { Length: > 0 } fallback ? fallback : null
                : null,
        });

        if (!builder.Environment.IsDevelopment())
        {
            // Structured logs in production; the default console stays readable on a developer's terminal.
            builder.Logging.AddJsonConsole();
        }
        if (command is not null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }
        // A host that cannot start says why in one sentence (StartupFailure); the generic host's own report of the same
        // exception, with its stack trace, is left out until the host has started.
        var starting = true;
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level >= LogLevel.Warning && (!Volatile.Read(ref starting) || level < LogLevel.Error));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 32 * 1024 * 1024);
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        var urls = new[] { builder.Configuration["urls"], builder.Configuration["ASPNETCORE_URLS"], builder.Configuration["URLS"] }.FirstOrDefault(u => !string.IsNullOrEmpty(u));
        if (urls is null)
        {
            builder.WebHost.UseUrls(urls = "http://127.0.0.1:5080");
        }
        if (builder.Configuration.GetValue<int?>("OpenData:Metrics:Port") is { } metricsPort)
        {
            // /metrics on a port of its own (MetricsEndpoint serves nothing else there), beside the API's addresses.
            builder.WebHost.UseUrls($"{urls};http://{builder.Configuration["OpenData:Metrics:Host"] ?? "127.0.0.1"}:{metricsPort}");
        }

        builder.Services.AddOpenDataPlatform(builder.Configuration);
        builder.Services.AddOpenDataSandbox(builder.Configuration);
        builder.Services.AddOpenDataPortal();
        // Static files are the build's manifest and nothing else: no catch-all {**path:file} route serving files added after the
        // build (which MapStaticAssets adds when run from build output, and which answers 405 to a POST to any unknown path).
        builder.Configuration["DisableStaticAssetNotFoundRuntimeFallback"] = "true";
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "OpenData API",
                Version = "v1",
                Description = "Public data open platform: catalogue, records, ingestion, access requests and grants, quotas, usage and audit. Errors are application/problem+json with a stable `code`. The same services answer GraphQL at `/graphql` (POST, or GET for queries; schema at `/graphql/schema.graphql`, explorer in a browser at `/graphql`).",
            });
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
            options.DescribeAllParametersInCamelCase();
            options.OperationFilter<RefusalsOperationFilter>();
            options.DocumentFilter<RefusalsDocumentFilter>();
        });

        configured?.Invoke(builder.Configuration);
        if (command is null)
        {
            try
            {
                DeploymentChecks.ThrowIfUnsafe(builder.Configuration, builder.Environment);
            }
            catch (InvalidOperationException e)
            {
                throw new StartupException(ExitCodes.Configuration, e.Message, e);
            }
        }
        var app = builder.Build();

        if (command is not null)
        {
            return await command.RunAsync(app.Services);
        }

        await app.Services.PrepareStoreAsync(app.Lifetime.ApplicationStopping);

        app.UsePlatformProxy(app.Configuration);
        app.UsePlatformProblemDetails();
        app.UsePlatformMetrics();
        app.UseSecurityHeaders();
        app.UseQueryStringGuard();
        app.UseSwagger(o => o.RouteTemplate = "openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/openapi/v1.json", "OpenData v1");
            o.DocumentTitle = "OpenData API";
        });
        app.UsePlatformCors();
        app.UseRouting();
        app.UseAuthentication();
        app.UseRoutingRefusals();
        // Before admission: on the portal's pages (only), the sign-in cookie's person is the user, so a page counts under their
        // tenant; the page's culture is set for a refusal it shows.
        app.UseOpenDataPortal();
        app.UseQuotas();
        app.UseAuthorization();
        app.MapOpenDataPlatform();
        app.MapOpenDataSandbox();
        app.MapOpenDataPortal();
        app.MapLanding();

        app.Lifetime.ApplicationStarted.Register(() => Volatile.Write(ref starting, false));
        await app.RunAsync();
        return ExitCodes.Done;
    }
}
