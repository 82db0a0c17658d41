namespace OpenData.Platform.Desensitisation;

/// <summary>What a tagged column becomes at one access level, as written in <c>desensitisation.yaml</c>.</summary>
internal enum TransformKind
{
    Clear,
    Hidden,
    Mask,
    Generalise,
    Pseudonymise,
    Constant,
    Synthetic,
}

/// <summary>Coarser forms a value can be generalised to.</summary>
internal enum GeneraliseTo
{
    Year,
    Month,
    Band,
    Grid,
    District,
}

/// <summary>A transform with its parameters; see <c>policies/desensitisation.yaml</c> for the accepted forms.</summary>
internal sealed record TransformSpec(TransformKind Kind)
{
    public static readonly TransformSpec Clear = new(TransformKind.Clear);
    public static readonly TransformSpec Hidden = new(TransformKind.Hidden);

    public int KeepFirst { get; init; }

    public int KeepLast { get; init; }

    /// <summary>The fixed run of <c>*</c> a mask draws between what it keeps; null for <see cref="Transforms.Masking.DefaultStars"/>.</summary>
    public int? Stars { get; init; }

    /// <summary>Mask an e-mail address as <c>w***@example.org</c>: first letter of the mailbox, a fixed <c>***</c>, domain kept.</summary>
    public bool Email { get; init; }

    public GeneraliseTo To { get; init; }

    /// <summary>Band width for <see cref="GeneraliseTo.Band"/>, grid size in degrees for <see cref="GeneraliseTo.Grid"/>.</summary>
    public decimal Step { get; init; }

    public string? Value { get; init; }

    /// <summary>For <see cref="TransformKind.Pseudonymise"/>: the longest value (UTF-8 bytes) a token carries; it fixes every token's length.</summary>
    public int TokenBytes { get; init; } = Transforms.Pseudonymiser.DefaultCapacity;

    public ColumnVisibility Visibility => Kind switch
    {
        TransformKind.Clear => ColumnVisibility.Clear,
        TransformKind.Hidden => ColumnVisibility.Hidden,
        TransformKind.Mask or TransformKind.Constant => ColumnVisibility.Masked,
        TransformKind.Generalise => ColumnVisibility.Generalised,
        TransformKind.Pseudonymise => ColumnVisibility.Pseudonymised,
        _ => ColumnVisibility.Synthetic,
    };
}
