using System.Security.Claims;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Platform.GraphQL;

/// <summary>
/// Errors of <c>/graphql</c>. A service's refusal becomes a field error whose <c>extensions</c> carry the REST machine
/// <c>code</c>, the HTTP <c>status</c> REST would have answered, and the query <c>position</c> or invalid <c>fields</c>
/// when there are any. Document errors get codes of the same dotted form (<c>graphql.*</c>); each constant's
/// <see cref="ErrorCodeAttribute"/> gives the HTTP status (under <c>application/graphql-response+json</c>) and when it is answered.
/// </summary>
internal static class GraphErrors
{
    [ErrorCode(400, "the document is not GraphQL: a syntax error at `locations`")]
    public const string SyntaxError = "graphql.syntax_error";

    [ErrorCode(400, "the document asks for a field its type does not have")]
    public const string UnknownField = "graphql.unknown_field";

    [ErrorCode(400, "the document passes an argument the field does not take")]
    public const string UnknownArgument = "graphql.unknown_argument";

    [ErrorCode(400, "the document names a type the schema does not have")]
    public const string UnknownType = "graphql.unknown_type";

    [ErrorCode(400, "the document leaves out a required argument")]
    public const string MissingArgument = "graphql.missing_argument";

    [ErrorCode(400, "an argument or variable has a value of the wrong type")]
    public const string InvalidValue = "graphql.invalid_value";

    [ErrorCode(400, "the document breaks another GraphQL validation rule")]
    public const string InvalidDocument = "graphql.invalid_document";

    [ErrorCode(400, "the document nests fields deeper than the limit")]
    public const string TooDeep = "graphql.too_deep";

    [ErrorCode(400, "the document's complexity is above the limit")]
    public const string TooComplex = "graphql.too_complex";

    [ErrorCode(400, "the document uses more aliases than the limit")]
    public const string TooManyAliases = "graphql.too_many_aliases";

    [ErrorCode(413, "the body or the query is longer than the limit")]
    public const string DocumentTooLarge = "graphql.document_too_large";

    [ErrorCode(405, "a mutation sent with GET: send it with POST")]
    public const string MutationNeedsPost = "graphql.mutation_needs_post";

    [ErrorCode(400, "the body is not a GraphQL request in JSON, or its query is missing")]
    public const string BadRequest = "graphql.bad_request";

    [ErrorCode(406, "Accept names neither application/graphql-response+json nor application/json")]
    public const string NotAcceptable = "graphql.not_acceptable";

    [ErrorCode(415, "the POST body is not Content-Type: application/json")]
    public const string UnsupportedMediaType = "graphql.unsupported_media_type";

    [ErrorCode(200, "a field failed to resolve; the error is logged with the request's trace id (the other fields answer)")]
    public const string Internal = "internal.error";

    /// <summary>A refusal of a module service as a field error.</summary>
    public static ExecutionError From(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var error = new ExecutionError(refusal.Detail) { Code = refusal.Code };
        error.Extensions = new Dictionary<string, object?> { ["status"] = refusal.Status };
        if (refusal.Position is { } position)
        {
            error.Extensions["position"] = position;
        }
        if (refusal.Errors is { } fields)
        {
            error.Extensions["fields"] = fields;
        }
        if (refusal.RetryAfter is { } retryAfter)
        {
            error.Extensions["retryAfter"] = retryAfter;
        }
        return error;
    }

    /// <summary>The value of a service's outcome, or its refusal thrown as a field error.</summary>
    public static T ValueOf<T>(Outcome<T> outcome) => outcome.Refusal is { } refusal ? throw From(refusal) : outcome.Value!;

    /// <summary>The caller must carry a token, and the scope when one is named (as REST's authorisation policies ask).</summary>
    public static void Require(ClaimsPrincipal? user, string? scope = null)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            throw From(new Refusal(401, CommonErrors.TokenRequired, "this field needs an access token: send Authorization: Bearer <token> (POST /connect/token)"));
        }
        if (scope is not null && !user.HasScope(scope))
        {
            throw From(new Refusal(403, CommonErrors.InsufficientScope, $"the access token lacks the scope '{scope}' this field needs"));
        }
    }

    /// <summary>
    /// A live action refuses a sandbox app's token, as its REST route does (<see cref="EnvironmentGate.LiveOnly"/>): an error with
    /// code <c>env.mismatch</c>. <paramref name="action"/> names what the field does.
    /// </summary>
    public static void RequireLive(ClaimsPrincipal? user, string action)
    {
        if (user?.IsSandbox() == true)
        {
            throw From(EnvironmentGate.SandboxOnLive(action));
        }
    }

    /// <summary>The platform's code for an error GraphQL for .NET raised itself (parse, validation, limits, unhandled).</summary>
    internal static string CodeFor(ExecutionError error)
    {
        var code = error.Code;
        if (code is not null && code.Contains('.', StringComparison.Ordinal))
        {
            return code;
        }
        return code switch
        {
            "SYNTAX_ERROR" => SyntaxError,
            "MAX_DEPTH_EXCEEDED" => TooDeep,
            "COMPLEXITY" => error.Message.Contains("nested", StringComparison.OrdinalIgnoreCase) ? TooDeep : TooComplex,
            "FIELDS_ON_CORRECT_TYPE" => UnknownField,
            "KNOWN_ARGUMENT_NAMES" => UnknownArgument,
            "KNOWN_TYPE_NAMES" => UnknownType,
            "PROVIDED_NON_NULL_ARGUMENTS" => MissingArgument,
            "ARGUMENTS_OF_CORRECT_TYPE" or "INVALID_VALUE" or "INVALID_LITERAL" or "VARIABLES_IN_ALLOWED_POSITION"
                or "VARIABLES_ARE_INPUT_TYPES" => InvalidValue,
            _ when error is ValidationError => InvalidDocument,
            _ when error is UnhandledError => Internal,
            _ => BadRequest,
        };
    }
}

/// <summary>Writes every error as <c>{message, locations, path, extensions: {code, …}}</c> with the platform's codes; exception details stay in the log.</summary>
internal sealed class PlatformErrorInfoProvider : IErrorInfoProvider
{
    public ErrorInfo GetInfo(ExecutionError executionError)
    {
        ArgumentNullException.ThrowIfNull(executionError);
        var extensions = new Dictionary<string, object?> { ["code"] = GraphErrors.CodeFor(executionError) };
        if (executionError.Extensions is { } more)
        {
            foreach (var (key, value) in more)
            {
                if (key != "code")
                {
                    extensions[key] = value;
                }
            }
        }
        // GraphQL for .NET words some errors with CLR types ("…to GraphQL.Inputs"), and echoes values it could not
        // convert: the first say nothing to a client, the second are cut so an error is never bigger than the request.
        var message = executionError is UnhandledError
            ? "the server failed to resolve this field; the error is logged with the request's trace id"
            : Common.ClientErrorText.Safe(executionError.Message)
                ? Common.ClientErrorText.Bounded(executionError.Message)
                : $"the request cannot run as sent ({extensions["code"]}): see /graphql/schema.graphql for the types this field takes";
        return new ErrorInfo { Message = message, Extensions = extensions };
    }
}
