using OpenData.Platform.Common;

namespace OpenData.Platform.Hosting;

/// <summary>
/// Error codes of the host's pipeline, which any operation may answer: malformed requests, unknown routes, crashes and store
/// failures. The OpenAPI document lists them once, in its description.
/// </summary>
internal static class HostingErrors
{
    [ErrorCode(400, "the request cannot be read as sent: a parameter of the wrong type, a missing or malformed JSON body")]
    public const string Invalid = "request.invalid";

    [ErrorCode(400, "a query-string parameter contains a NUL character (%00)")]
    public const string InvalidCharacters = "request.invalid_characters";

    [ErrorCode(400, "a form body the reader refuses (a NUL character, an over-long value)")]
    public const string MalformedForm = "request.malformed_form";

    [ErrorCode(403, "the access token does not allow this")]
    public const string Forbidden = "auth.forbidden";

    [ErrorCode(404, "no route answers this path")]
    public const string RouteNotFound = "route.not_found";

    [ErrorCode(405, "the path exists, but not with this method")]
    public const string MethodNotAllowed = "request.method_not_allowed";

    [ErrorCode(406, "none of the types in Accept is one the operation answers")]
    public const string NotAcceptable = "request.not_acceptable";

    [ErrorCode(413, "the body is larger than the host takes")]
    public const string TooLarge = "request.too_large";

    [ErrorCode(500, "the platform failed to answer; the error is logged under the problem's `traceId`")]
    public const string ServerError = "server.error";

    [ErrorCode(503, "the data store does not answer; nothing of the request was kept: retry after Retry-After")]
    public const string DbUnavailable = "db.unavailable";

    [ErrorCode(507, "the platform's storage is full; nothing of the request was kept")]
    public const string StorageFull = "storage.full";
}
