namespace OpenData.Platform.Common;

/// <summary>
/// Why a service refused: HTTP status, stable machine code and what to fix, and for bad fields each field's complaints.
/// REST answers it as problem+json (<see cref="Problems.From(Refusal)"/>), GraphQL as an error with <c>extensions.code</c>.
/// </summary>
internal sealed record Refusal(int Status, string Code, string Detail, int? Position = null, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    /// <summary>Seconds after which the same request may succeed (a spent quota): REST sends it as <c>Retry-After</c> and <c>retryAfter</c>.</summary>
    public long? RetryAfter { get; init; }

    public static Refusal BadRequest(string code, string detail, int? position = null) => new(400, code, detail, position);

    public static Refusal NotFound(string code, string detail) => new(404, code, detail);

    public static Refusal Forbidden(string code, string detail) => new(403, code, detail);

    public static Refusal Conflict(string code, string detail) => new(409, code, detail);

    /// <summary>A 400 naming every invalid field, with code <c>request.validation</c>.</summary>
    public static Refusal Validation(IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new(400, CommonErrors.Validation, string.Join(" ", errors.SelectMany(e => e.Value)), null, errors);
    }
}

/// <summary>What a service answers: a value, or the refusal that stands for it.</summary>
internal readonly record struct Outcome<T>(T? Value, Refusal? Refusal)
{
    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);
}
