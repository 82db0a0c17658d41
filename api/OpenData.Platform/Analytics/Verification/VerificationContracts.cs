using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenData.Platform.Analytics.Verification;

/// <summary>
/// The body of <c>PUT /v1/datasets/{id}/verification</c>: the key columns a caller gives (the first finds the candidate rows),
/// and the answer: <c>match</c> (yes or no) or <c>fields</c> (also which key agrees). Never a row value either way.
/// </summary>
internal sealed record VerificationDefinition(IReadOnlyList<string>? Keys, string? Answer);

/// <summary>A dataset's verification as defined by its owner.</summary>
internal sealed record VerificationView(string DatasetId, IReadOnlyList<string> Keys, string Answer, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>The body of <c>POST /v1/datasets/{id}/verify</c>: 1 to 100 records, each the verification's key columns and the values to check.</summary>
internal sealed record VerifyCall(IReadOnlyList<Dictionary<string, JsonElement>>? Records);

/// <summary>The answers, one per record in order.</summary>
internal sealed record VerifyAnswer(IReadOnlyList<VerifyResult> Results);

/// <summary>
/// One record's answer: whether some row agrees on every key; for a <c>fields</c> verification also, per key, whether a row
/// found by the first key agrees on it.
/// </summary>
internal sealed record VerifyResult(
    bool Match,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, bool>? Fields = null);
