namespace OpenData.Platform.Desensitisation;

/// <summary>Rewrites one row in place as it streams out (masking, pseudonymising, generalising); the seam of issue 4.</summary>
internal interface IRowTransform
{
    /// <param name="cells">The selected cells, in the order of the view's selected columns.</param>
    void Apply(object?[] cells);
}
