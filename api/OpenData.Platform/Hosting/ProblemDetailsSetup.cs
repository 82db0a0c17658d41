using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenData.Platform.Common;
using OpenData.Platform.Quotas;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Hosting;

/// <summary>Every error is RFC 9457 problem+json with <c>code</c> and <c>traceId</c>: unknown routes, binding failures and crashes included.</summary>
internal static partial class ProblemDetailsSetup
{
    public static IServiceCollection AddPlatformProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            if (!problem.Extensions.ContainsKey("code"))
            {
                var code = CodeFor(problem.Status ?? context.HttpContext.Response.StatusCode);
                problem.Extensions["code"] = code;
                problem.Type = Problems.TypeFor(code);
                problem.Detail ??= DetailFor(problem.Status ?? 500, context.HttpContext);
            }
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>Exception handler and status-code pages: the outermost middleware of the host.</summary>
    public static IApplicationBuilder UsePlatformProblemDetails(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            ExceptionHandler = WriteExceptionAsync,
        });
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>
    /// Routing's refusals, answered after authentication (where the token server answers its own endpoints) and before
    /// authorisation: an unknown route is 404, a known route with another method 405, a body type the route does not
    /// read 415 — never a 401 from the secure-by-default policy.
    /// </summary>
    public static IApplicationBuilder UseRoutingRefusals(this IApplicationBuilder app)
    {
        app.Use((context, next) =>
        {
            var endpoint = context.GetEndpoint();
            if (endpoint is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            // Routing's own 405/415 endpoints are plain endpoints; every route of the platform is a RouteEndpoint.
            if (endpoint is not RouteEndpoint && endpoint.RequestDelegate is not null)
            {
                return endpoint.RequestDelegate(context);
            }
            return next(context);
        });
        return app;
    }

    private static async Task WriteExceptionAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = context.Response.StatusCode;
        string code;
        string detail;
        if (error is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            code = CodeFor(status);
            detail = DescribeBadRequest(bad, context);
        }
        else if (StoreFailures.Classify(error) is not StoreFailure.None and var failure)
        {
            await WriteStoreFailureAsync(context, error!, failure);
            return;
        }
        else if (error is InvalidDataException && context.Request.HasFormContentType)
        {
            // A form the reader refuses (a NUL character, an over-long value) is the sender's to fix, not a server error.
            status = StatusCodes.Status400BadRequest;
            code = HostingErrors.MalformedForm;
            detail = "the form could not be read: " + error.Message;
        }
        else
        {
            status = StatusCodes.Status500InternalServerError;
            code = HostingErrors.ServerError;
            detail = "the platform failed to answer; the error is logged under this traceId";
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("OpenData.Errors")
                .LogError(error, "Unhandled error on {Method} {Path}{Query}", context.Request.Method,
                    ClientErrorText.Bounded(context.Request.Path.Value), ClientErrorText.Bounded(context.Request.QueryString.Value));
        }
        context.Response.StatusCode = status;
        await Problems.Create(status, code, status == 500 ? "Internal error" : "The request cannot be processed as sent", detail).ExecuteAsync(context);
    }

    /// <summary>Seconds a client is told to wait while the store does not answer (a restart or a fail-over takes about this long).</summary>
    public const int StoreRetryAfterSeconds = 5;

    /// <summary>
    /// A failure of the store is not a bug of the platform: the client gets a coded problem saying what happened and whether
    /// retrying helps, the log gets the driver's words (which name hosts and users, so they never go to the client).
    /// </summary>
    private static async Task WriteStoreFailureAsync(HttpContext context, Exception error, StoreFailure failure)
    {
        var database = context.RequestServices.GetRequiredService<Database>();
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("OpenData.Errors");
        database.ReportFailure(error);
        Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem;
        switch (failure)
        {
            case StoreFailure.Unavailable:
                logger.LogWarning(error, "The store does not answer ({Method} {Path})", context.Request.Method, ClientErrorText.Bounded(context.Request.Path.Value));
                context.Response.Headers.RetryAfter = StoreRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                problem = Problems.Create(StatusCodes.Status503ServiceUnavailable, HostingErrors.DbUnavailable, "Service unavailable",
                    "the platform's data store does not answer at the moment; nothing of this request was kept. Retry after the time in Retry-After",
                    new Dictionary<string, object?> { ["retryAfter"] = StoreRetryAfterSeconds });
                break;
            case StoreFailure.StatementTimeout:
                logger.LogWarning(error, "A statement ran past the time limit ({Method} {Path}{Query})", context.Request.Method,
                    ClientErrorText.Bounded(context.Request.Path.Value), ClientErrorText.Bounded(context.Request.QueryString.Value));
                problem = Problems.From(Records.RecordReader.QueryTimedOut(database.StatementTimeout));
                break;
            default:
                logger.LogError(error, "The store is full ({Method} {Path})", context.Request.Method, ClientErrorText.Bounded(context.Request.Path.Value));
                problem = Problems.Create(StatusCodes.Status507InsufficientStorage, HostingErrors.StorageFull, "Insufficient storage",
                    "the platform's storage is full: nothing of this request was kept and the data already stored is intact. The operator must free or add space; retry later");
                break;
        }
        await problem.ExecuteAsync(context);
    }

    private static string DescribeBadRequest(BadHttpRequestException bad, HttpContext context)
    {
        // Binding failures carry the JSON reader's own words (path, line) in the inner exception, with .NET type names.
        if (bad.InnerException is JsonException json)
        {
            // The exception handler has cleared the endpoint; its feature keeps the one that failed.
            var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
            return ClientErrorText.Describe(json, endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType);
        }
        var binding = BindingFailure().Match(bad.Message);
        if (binding.Success)
        {
            var type = binding.Groups["type"].Value.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>');
            var expected = type switch
            {
                "int" or "long" or "Int32" or "Int64" => "a whole number",
                "bool" or "Boolean" => "true or false",
                "DateTimeOffset" or "DateTime" => "an ISO 8601 date and time",
                "DateOnly" => "a date (yyyy-MM-dd)",
                "decimal" or "double" => "a number",
                _ => "a value of the kind /docs shows",
            };
            return $"parameter '{QueryName(context, binding.Groups["name"].Value)}' must be {expected}; got '{ClientErrorText.Bounded(binding.Groups["value"].Value)}'";
        }
        var required = RequiredParameter().Match(bad.Message);
        if (required.Success)
        {
            return required.Groups["source"].Value == "body"
                ? "this route reads a JSON body: see /docs for its fields"
                : $"parameter '{QueryName(context, required.Groups["name"].Value)}' is required";
        }
        if (bad.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
        {
            return "this route reads a JSON body: see /docs for its fields";
        }
        return ClientErrorText.Safe(bad.Message) ? bad.Message : "the request cannot be read as sent: see /docs for this route";
    }

    /// <summary>The parameter's name as the client spelt it (<c>csv_raw</c>, <c>order_by</c>), not the C# property's.</summary>
    private static string QueryName(HttpContext context, string name)
    {
        foreach (var key in context.Request.Query.Keys)
        {
            if (string.Equals(key.Replace("_", "", StringComparison.Ordinal), name, StringComparison.OrdinalIgnoreCase))
            {
                return key;
            }
        }
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?<type>\\S+) (?<name>\\w+)\" from \"(?<value>.*)\"\\.?$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex BindingFailure();

    [System.Text.RegularExpressions.GeneratedRegex("^Required parameter \"\\S+ (?<name>\\w+)\" was not provided from (?<source>[\\w ]+?)\\.?$")]
    private static partial System.Text.RegularExpressions.Regex RequiredParameter();

    /// <summary>The body types the route would have taken, read from the endpoints' Accepts metadata.</summary>
    private static string AcceptedTypes(HttpContext context)
    {
        var types = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods;
            var accepts = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>();
            if (accepts is null || methods?.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase) == false)
            {
                continue;
            }
            var matcher = new Microsoft.AspNetCore.Routing.Template.TemplateMatcher(
                Microsoft.AspNetCore.Routing.Template.TemplateParser.Parse(endpoint.RoutePattern.RawText ?? ""), []);
            if (matcher.TryMatch(context.Request.Path, []))
            {
                types.UnionWith(accepts.ContentTypes);
            }
        }
        return types.Count == 0 ? "a body of the type /docs names" : string.Join(" or ", types);
    }

    private static string CodeFor(int status) => status switch
    {
        400 => HostingErrors.Invalid,
        401 => CommonErrors.TokenRequired,
        403 => HostingErrors.Forbidden,
        404 => HostingErrors.RouteNotFound,
        405 => HostingErrors.MethodNotAllowed,
        406 => HostingErrors.NotAcceptable,
        413 => HostingErrors.TooLarge,
        415 => CommonErrors.UnsupportedMediaType,
        429 => QuotasErrors.RateExceeded,
        _ when status >= 500 => HostingErrors.ServerError,
        _ => HostingErrors.Invalid,
    };

    private static string DetailFor(int status, HttpContext context) => status switch
    {
        401 => "this needs an access token: send Authorization: Bearer <token> (get one from POST /connect/token)",
        403 => "the access token does not allow this",
        404 => $"no route answers {context.Request.Method} {context.Request.Path}: see /docs for the API",
        405 => $"{context.Request.Method} is not allowed on {context.Request.Path}",
        415 => $"the body's Content-Type '{context.Request.ContentType ?? "none"}' is not one {context.Request.Method} {context.Request.Path} reads; send {AcceptedTypes(context)}",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };
}
