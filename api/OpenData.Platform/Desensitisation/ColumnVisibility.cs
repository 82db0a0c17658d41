namespace OpenData.Platform.Desensitisation;

/// <summary>How a caller sees one column.</summary>
public enum ColumnVisibility
{
    Clear,
    Masked,
    Pseudonymised,
    Generalised,
    Hidden,
}
