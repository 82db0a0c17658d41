using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Utilities;
using GraphQL.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace OpenData.Platform.GraphQL;

/// <summary>
/// <c>POST /graphql</c> and <c>GET /graphql</c> after GraphQL over HTTP: <c>application/graphql-response+json</c> answers,
/// 400 for a document that cannot run (unparsable, invalid, over a limit), 200 with <c>errors</c> for field errors,
/// 405 for a mutation over GET, 413 for an oversized document, 415 for a body that is not JSON. A browser asking for HTML
/// with no query gets the explorer page. The same authentication and quota admission as REST run before it.
/// </summary>
internal static class GraphQLEndpoint
{
    public const string ResponseMediaType = "application/graphql-response+json";
    private static readonly Lazy<byte[]?> Explorer = new(() =>
    {
        using var stream = typeof(GraphQLEndpoint).Assembly.GetManifestResourceStream("graphql/explorer.html");
        if (stream is null)
        {
            return null;
        }
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>The explorer's policy: its one inline script and style allowed by hash, requests to this host only.</summary>
    private static readonly Lazy<string> ExplorerPolicy = new(() =>
        Common.ContentSecurityPolicy.For(Explorer.Value is { } page ? System.Text.Encoding.UTF8.GetString(page) : ""));

    public static IEndpointRouteBuilder MapGraphQL(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/graphql", PostAsync).WithName("PostGraphQL").WithTags("GraphQL").AllowAnonymous().WithMetadata(Common.Metered.Instance)
            .ExcludeFromDescription();
        routes.MapGet("/graphql", GetAsync).WithName("GetGraphQL").WithTags("GraphQL").AllowAnonymous().WithMetadata(Common.Metered.Instance)
            .ExcludeFromDescription();
        routes.MapGet("/graphql/schema.graphql", GetSchema).WithName("GetGraphQLSchema").WithTags("GraphQL").AllowAnonymous()
            .ExcludeFromDescription();
        return routes;
    }

    /// <summary>The schema in SDL, for code generators and clients (the same text as openapi/schema.graphql).</summary>
    internal static IResult GetSchema(OpenDataSchema schema) =>
        Results.Text(Sdl(schema), "text/plain", System.Text.Encoding.UTF8);

    /// <summary>The schema printed in definition order with descriptions, with \n line ends.</summary>
    public static string Sdl(OpenDataSchema schema) =>
        schema.Print(new PrintOptions { IncludeDescriptions = true, IncludeDeprecationReasons = true }).ReplaceLineEndings("\n").TrimEnd() + "\n";

    internal static async Task PostAsync(HttpContext context, IOptions<GraphQLOptions> options, IGraphQLTextSerializer serializer)
    {
        var limits = options.Value;
        if (!TryAnswerType(context.Request, out var answer))
        {
            await RefuseAsync(context, ResponseMediaType, 406, GraphErrors.NotAcceptable,
                $"answers are {ResponseMediaType} or application/json: accept one of them", serializer);
            return;
        }
        var contentType = context.Request.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out var parsed) ? parsed.MediaType.Value : null;
        if (!string.Equals(contentType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            await RefuseAsync(context, answer, 415, GraphErrors.UnsupportedMediaType,
                "send the request as Content-Type: application/json with {\"query\": \"…\", \"variables\": {…}}", serializer);
            return;
        }
        if (context.Request.ContentLength > limits.MaxRequestBytes)
        {
            await RefuseAsync(context, answer, 413, GraphErrors.DocumentTooLarge, $"the body is {context.Request.ContentLength} bytes; at most {limits.MaxRequestBytes} are taken", serializer);
            return;
        }
        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request, limits.MaxRequestBytes, context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            await RefuseAsync(context, answer, 413, GraphErrors.DocumentTooLarge, $"the body is larger than the {limits.MaxRequestBytes} bytes taken", serializer);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        GraphQLRequest? request;
        try
        {
            request = serializer.Deserialize<GraphQLRequest>(System.Text.Encoding.UTF8.GetString(body));
        }
        catch (Exception e) when (e is JsonException or ExecutionError or FormatException or InvalidOperationException)
        {
            await RefuseAsync(context, answer, 400, GraphErrors.BadRequest, $"the body is not a GraphQL request in JSON ({{\"query\": \"…\", \"variables\": {{…}}, \"operationName\": \"…\"}}): {Reason(e)}", serializer);
            return;
        }
        await ExecuteAsync(context, request, answer, queriesOnly: false, serializer);
    }

    internal static async Task GetAsync(HttpContext context, IGraphQLTextSerializer serializer)
    {
        var query = context.Request.Query;
        if (!query.ContainsKey("query") && AcceptsHtml(context.Request) && Explorer.Value is { } page)
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.ContentSecurityPolicy = ExplorerPolicy.Value;
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers.CacheControl = "no-cache";
            await context.Response.Body.WriteAsync(page, context.RequestAborted);
            return;
        }
        if (!TryAnswerType(context.Request, out var answer))
        {
            await RefuseAsync(context, ResponseMediaType, 406, GraphErrors.NotAcceptable,
                $"answers are {ResponseMediaType} or application/json: accept one of them", serializer);
            return;
        }
        GraphQLRequest request;
        try
        {
            request = new GraphQLRequest
            {
                Query = query["query"].ToString(),
                OperationName = query.TryGetValue("operationName", out var name) && name.Count > 0 ? name.ToString() : null,
                Variables = query.TryGetValue("variables", out var variables) && !string.IsNullOrEmpty(variables) ? serializer.Deserialize<Inputs>(variables.ToString()) : null,
                Extensions = query.TryGetValue("extensions", out var extensions) && !string.IsNullOrEmpty(extensions) ? serializer.Deserialize<Inputs>(extensions.ToString()) : null,
            };
        }
        catch (Exception e) when (e is JsonException or ExecutionError or FormatException or InvalidOperationException)
        {
            await RefuseAsync(context, answer, 400, GraphErrors.BadRequest, $"variables and extensions are JSON objects: {Reason(e)}", serializer);
            return;
        }
        await ExecuteAsync(context, request, answer, queriesOnly: true, serializer);
    }

    private static async Task ExecuteAsync(HttpContext context, GraphQLRequest? request, string answer, bool queriesOnly, IGraphQLTextSerializer serializer)
    {
        var services = context.RequestServices;
        var limits = services.GetRequiredService<IOptions<GraphQLOptions>>().Value;
        if (string.IsNullOrWhiteSpace(request?.Query))
        {
            await RefuseAsync(context, answer, 400, GraphErrors.BadRequest,
                "query is missing: send {\"query\": \"{ datasets { items { id title } } }\"} (GET: ?query=…)", serializer);
            return;
        }
        if (request.Query.Length > limits.MaxDocumentLength)
        {
            await RefuseAsync(context, answer, 413, GraphErrors.DocumentTooLarge,
                $"the query is {request.Query.Length} characters long; at most {limits.MaxDocumentLength} are taken", serializer);
            return;
        }
        var executer = services.GetRequiredService<IDocumentExecuter<OpenDataSchema>>();
        var documents = services.GetRequiredService<DocumentCache>();
        var cached = documents.Find(request.Query);
        ExecutionResult result;
        try
        {
            result = await executer.ExecuteAsync(new ExecutionOptions
            {
                Query = request.Query,
                Document = cached,
                Variables = request.Variables,
                Extensions = request.Extensions,
                OperationName = request.OperationName,
                RequestServices = services,
                User = context.User,
                UserContext = new GraphQLRequestContext(context),
                CancellationToken = context.RequestAborted,
                ValidationRules = queriesOnly ? DocumentValidator.CoreRules.Append(QueriesOnlyRule.Instance) : null,
                CachedDocumentValidationRules = queriesOnly ? [QueriesOnlyRule.Instance] : null,
            });
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        if (cached is null && result.Executed && result.Document is { } parsed)
        {
            documents.Keep(request.Query, parsed);
        }
        var status = 200;
        if (!result.Executed)
        {
            status = 400;
            if (result.Errors?.Any(e => e.Code == GraphErrors.MutationNeedsPost) == true)
            {
                status = 405;
                context.Response.Headers.Allow = "POST";
            }
        }
        // Under application/json (clients from before GraphQL over HTTP) a request error still answers 200, as the spec asks.
        if (answer != ResponseMediaType && status == 400)
        {
            status = 200;
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = answer + "; charset=utf-8";
        if (RetryAfter(result) is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await serializer.WriteAsync(context.Response.Body, result, context.RequestAborted);
    }

    /// <summary>
    /// The longest wait any field's refusal named (<see cref="GraphErrors.From"/> carries a refusal's <c>RetryAfter</c> as
    /// <c>extensions.retryAfter</c>), so a spent quota says <c>Retry-After</c> as REST does, whichever field met it.
    /// </summary>
    private static long? RetryAfter(ExecutionResult result)
    {
        long? longest = null;
        foreach (var error in result.Errors ?? [])
        {
            if (error.Extensions?.TryGetValue("retryAfter", out var value) == true && value is long seconds && seconds > (longest ?? 0))
            {
                longest = seconds;
            }
        }
        return longest;
    }

    /// <summary>The members of a GraphQL request as a client writes them, for naming what a wrong value should have been.</summary>
    private sealed record GraphQLRequestShape(string Query, string? OperationName, Dictionary<string, object?>? Variables, Dictionary<string, object?>? Extensions);

    /// <summary>Why a request could not be read, without the serializer's .NET type names.</summary>
    private static string Reason(Exception e) => e switch
    {
        JsonException json => Common.ClientErrorText.Describe(json, typeof(GraphQLRequestShape)),
        _ when Common.ClientErrorText.Safe(e.Message) => e.Message,
        _ => "a member has the wrong kind of value: query and operationName are strings, variables and extensions objects",
    };

    private static async Task RefuseAsync(HttpContext context, string answer, int status, string code, string message, IGraphQLTextSerializer serializer)
    {
        var error = new ExecutionError(message) { Code = code };
        context.Response.StatusCode = status;
        context.Response.ContentType = answer + "; charset=utf-8";
        await serializer.WriteAsync(context.Response.Body, new ExecutionResult { Errors = [error], Executed = false }, context.RequestAborted);
    }

    /// <summary>The answer's media type from Accept: graphql-response+json unless only application/json is acceptable.</summary>
    private static bool TryAnswerType(HttpRequest request, out string answer)
    {
        answer = ResponseMediaType;
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return true;
        }
        var json = false;
        foreach (var media in accept.Where(a => a.Quality is not 0).OrderByDescending(a => a.Quality ?? 1))
        {
            var value = media.MediaType.Value?.ToLowerInvariant();
            if (value is ResponseMediaType or "*/*" or "application/*")
            {
                answer = ResponseMediaType;
                return true;
            }
            json |= value == "application/json";
        }
        answer = "application/json";
        return json;
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Value?.Equals("text/html", StringComparison.OrdinalIgnoreCase) == true);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new InvalidDataException("body too large");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
