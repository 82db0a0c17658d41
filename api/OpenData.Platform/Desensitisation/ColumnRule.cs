namespace OpenData.Platform.Desensitisation;

/// <summary>How one column leaves the platform for one caller: its visibility, the transform that makes it so, and whether the outbound check reads it.</summary>
public sealed record ColumnRule(ColumnVisibility Visibility, TransformSpec Transform, bool Scan)
{
    public static readonly ColumnRule ClearByRight = new(ColumnVisibility.Clear, TransformSpec.Clear, false);
    public static readonly ColumnRule ClearScanned = new(ColumnVisibility.Clear, TransformSpec.Clear, true);
    public static readonly ColumnRule Hidden = new(ColumnVisibility.Hidden, TransformSpec.Hidden, false);
}
