namespace OpenData.Platform.Access;

/// <summary>What an access request asks for and its grant allows: rows (<c>records</c>), or a yes/no verification against them (<c>verify</c>).</summary>
internal static class AccessKind
{
    /// <summary>Rows through the read path, desensitised by the caller's view (the default).</summary>
    public const string Records = "records";

    /// <summary>The dataset's verification only (<c>POST /v1/datasets/{id}/verify</c>): never a row, and the read path ignores it.</summary>
    public const string Verify = "verify";

    public static readonly IReadOnlyList<string> All = [Records, Verify];
}
