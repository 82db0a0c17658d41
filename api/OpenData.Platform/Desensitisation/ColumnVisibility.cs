namespace OpenData.Platform.Desensitisation;

/// <summary>How a caller sees one column.</summary>
internal enum ColumnVisibility
{
    Clear,
    Masked,
    Pseudonymised,
    Generalised,
    Hidden,

    /// <summary>Replaced by a realistic made-up value (sandbox tokens).</summary>
    Synthetic,
}
