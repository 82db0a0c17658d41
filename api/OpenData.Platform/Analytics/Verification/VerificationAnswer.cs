namespace OpenData.Platform.Analytics.Verification;

/// <summary>The answers a verification gives.</summary>
internal static class VerificationAnswer
{
    /// <summary><c>match</c> or <c>no_match</c> per record.</summary>
    public const string Match = "match";

    /// <summary>Also per-key agreement.</summary>
    public const string Fields = "fields";

    public static readonly IReadOnlyList<string> All = [Match, Fields];
}
