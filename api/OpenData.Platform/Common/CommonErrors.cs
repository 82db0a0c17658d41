namespace OpenData.Platform.Common;

/// <summary>
/// Error codes answered by more than one module: invalid fields, missing tokens and scopes, paging parameters, body types,
/// unknown tenants. Each constant's <see cref="ErrorCodeAttribute"/> gives its HTTP status and when it is answered.
/// </summary>
internal static class CommonErrors
{
    [ErrorCode(400, "one or more fields are invalid; `errors` names each field and what is wrong with it")]
    public const string Validation = "request.validation";

    [ErrorCode(401, "no valid access token (missing, expired, revoked, or of a disabled app): get one from POST /connect/token")]
    public const string TokenRequired = "auth.token_required";

    [ErrorCode(403, "the credential belongs to the other environment: a sandbox app's token on a live action, or a live app's token on a sandbox route")]
    public const string EnvironmentMismatch = "env.mismatch";

    [ErrorCode(403, "the access token lacks the scope (or the tenant role) this needs")]
    public const string InsufficientScope = "auth.insufficient_scope";

    [ErrorCode(400, "limit is outside the page sizes the operation takes")]
    public const string InvalidLimit = "query.invalid_limit";

    [ErrorCode(400, "cursor is not one this operation issued: pass the previous page's `next` unchanged")]
    public const string InvalidCursor = "query.invalid_cursor";

    [ErrorCode(400, "a query parameter has a value outside those the operation names")]
    public const string InvalidParameter = "query.invalid_parameter";

    [ErrorCode(415, "the body's Content-Type is not one the operation reads")]
    public const string UnsupportedMediaType = "request.unsupported_media_type";

    [ErrorCode(404, "no tenant with this id is visible to the caller")]
    public const string TenantNotFound = "tenant.not_found";
}
