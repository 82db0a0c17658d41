using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Quotas;

namespace OpenData.Portal.Developer;

/// <summary>What the try-it console asks: a dataset's records with the records route's own parameters.</summary>
internal sealed record TryItQuery(string DatasetId, string? Select, string? Where, string? OrderBy, int Limit)
{
    /// <summary>The query string's parameters, in the order a person reads them (empty ones left out).</summary>
    public IReadOnlyList<(string Name, string Value)> Parameters()
    {
        var pairs = new List<(string, string)>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                pairs.Add((name, value.Trim()));
            }
        }
        Add("select", Select);
        Add("where", Where);
        Add("order_by", OrderBy);
        Add("limit", Limit.ToString(CultureInfo.InvariantCulture));
        return pairs;
    }
}

/// <summary>The answer the records route gave, as the console shows it.</summary>
internal sealed record TryItResult(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body, bool Truncated, string Url)
{
    /// <summary>What remains today under a policy of the <c>RateLimit</c> header (<c>"daily";r=4999;t=…</c>), if it names one.</summary>
    public long? Remaining(string policy)
    {
        var header = Headers.FirstOrDefault(h => string.Equals(h.Key, "RateLimit", StringComparison.OrdinalIgnoreCase)).Value;
        foreach (var item in header?.Split(',') ?? [])
        {
            var parts = item.Trim().Split(';');
            if (parts[0].Trim('"') != policy)
            {
                continue;
            }
            foreach (var part in parts.Skip(1))
            {
                if (part.StartsWith("r=", StringComparison.Ordinal) && long.TryParse(part.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var left))
                {
                    return left;
                }
            }
        }
        return null;
    }

    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// Runs a try-it query as the records API runs it, in process: the route's own endpoint behind the same quota admission
/// (burst, daily requests, rows; the <c>RateLimit</c> headers; usage counted under the app), with the app's principal — so
/// the answer, its status and its headers are exactly what the app would get over HTTP, and no secret or token is made.
/// </summary>
internal sealed class TryItRunner(EndpointDataSource endpoints)
{
    /// <summary>The most of an answer's body the console shows (a page of 100 wide rows fits).</summary>
    public const int ShownBytes = 256 * 1024;

    // The records route's endpoint, looked up once (the endpoints are fixed once the host runs).
    private readonly Lazy<RouteEndpoint> _records = new(() => endpoints.Endpoints.OfType<RouteEndpoint>()
        .Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == "GetRecords"));

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<TryItResult> RunAsync(HttpContext outer, ClaimsPrincipal app, TryItQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outer);
        ArgumentNullException.ThrowIfNull(query);
        var records = _records.Value;
        var path = $"/v1/datasets/{Uri.EscapeDataString(query.DatasetId)}/records";
        var queryString = new QueryBuilder(query.Parameters().Select(p => new KeyValuePair<string, string>(p.Name, p.Value))).ToQueryString();
        await using var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = outer.RequestServices, User = app, RequestAborted = cancellationToken };
        context.Request.Method = HttpMethods.Get;
        context.Request.Scheme = outer.Request.Scheme;
        context.Request.Host = outer.Request.Host;
        context.Request.PathBase = outer.Request.PathBase;
        context.Request.Path = path;
        context.Request.QueryString = queryString;
        context.Request.Headers.Accept = "application/json";
        context.Request.RouteValues["id"] = query.DatasetId;
        context.Connection.RemoteIpAddress = outer.Connection.RemoteIpAddress;
        context.TraceIdentifier = outer.TraceIdentifier;
        context.Response.Body = body;
        context.SetEndpoint(records);
        var admission = ActivatorUtilities.CreateInstance<QuotaAdmission>(outer.RequestServices, records.RequestDelegate!);
        await admission.InvokeAsync(context);
        await context.Response.CompleteAsync();

        var headers = context.Response.Headers
            .Where(h => h.Key is not "Vary" and not "Cache-Control")
            .Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString()))
            .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var truncated = body.Length > ShownBytes;
        var text = Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)Math.Min(body.Length, ShownBytes));
        if (!truncated)
        {
            text = Pretty(text);
        }
        var url = $"{outer.Request.Scheme}://{outer.Request.Host}{outer.Request.PathBase}{path}{queryString}";
        return new TryItResult(context.Response.StatusCode, headers, text, truncated, url);
    }

    private static string Pretty(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
