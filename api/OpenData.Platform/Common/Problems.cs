using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OpenData.Platform.Common;

/// <summary>RFC 9457 problem answers with the platform's stable machine <c>code</c>; <c>traceId</c> is added for every problem.</summary>
internal static class Problems
{
    public static ProblemHttpResult Create(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var ext = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypeFor(code), extensions: ext);
    }

    public static ProblemHttpResult BadRequest(string code, string detail, IDictionary<string, object?>? extensions = null) =>
        Create(StatusCodes.Status400BadRequest, code, "The request cannot be processed as sent", detail, extensions);

    public static ProblemHttpResult NotFound(string code, string detail) =>
        Create(StatusCodes.Status404NotFound, code, "Not found", detail);

    public static ProblemHttpResult Conflict(string code, string detail) =>
        Create(StatusCodes.Status409Conflict, code, "Conflict with the current state", detail);

    public static ProblemHttpResult Forbidden(string code, string detail) =>
        Create(StatusCodes.Status403Forbidden, code, "Forbidden", detail);

    /// <summary>A 400 listing every invalid field under <c>errors</c>, with code <c>request.validation</c>.</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        Create(StatusCodes.Status400BadRequest, CommonErrors.Validation, "One or more fields are invalid",
            string.Join(" ", errors.SelectMany(e => e.Value)),
            new Dictionary<string, object?> { ["errors"] = errors });

    /// <summary>A service's refusal as problem+json: the position of a query error and the fields of a validation error ride along.</summary>
    public static ProblemHttpResult From(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        if (refusal.Errors is not null)
        {
            return Validation(refusal.Errors.ToDictionary(e => e.Key, e => e.Value));
        }
        var extensions = new Dictionary<string, object?>();
        if (refusal.Position is { } position)
        {
            extensions["position"] = position;
        }
        if (refusal.RetryAfter is { } retryAfter)
        {
            extensions["retryAfter"] = retryAfter;
        }
        return Create(refusal.Status, refusal.Code, TitleFor(refusal.Status), refusal.Detail, extensions);
    }

    /// <summary>A refusal as problem+json, with <c>Retry-After</c> on the response when the refusal names a time to wait.</summary>
    public static ProblemHttpResult From(Refusal refusal, HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        ArgumentNullException.ThrowIfNull(response);
        if (refusal.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return From(refusal);
    }

    private static string TitleFor(int status) => status switch
    {
        400 => "The request cannot be processed as sent",
        401 => "Authentication required",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict with the current state",
        410 => "Gone",
        429 => "Too many requests",
        503 => "Service unavailable",
        507 => "Insufficient storage",
        _ => "Request refused",
    };

    /// <summary>Problem types are URNs named after the code, stable across hosts.</summary>
    public static string TypeFor(string code) => $"urn:opendata:problem:{code}";
}
