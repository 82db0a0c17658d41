namespace OpenData.Platform.Desensitisation;

/// <summary>How one column leaves the platform for one caller: its visibility, the transform that makes it so, and whether the outbound check reads it.</summary>
internal sealed record ColumnRule(ColumnVisibility Visibility, TransformSpec Transform, bool Scan)
{
    /// <summary>
    /// For a pseudonymised column: the linkage domain whose key makes its tokens, when the caller's grant approves it;
    /// null for the key of the caller's tenant and this dataset alone.
    /// </summary>
    public string? Linkage { get; init; }

    public static readonly ColumnRule ClearByRight = new(ColumnVisibility.Clear, TransformSpec.Clear, false);
    public static readonly ColumnRule ClearScanned = new(ColumnVisibility.Clear, TransformSpec.Clear, true);
    public static readonly ColumnRule Hidden = new(ColumnVisibility.Hidden, TransformSpec.Hidden, false);
}
