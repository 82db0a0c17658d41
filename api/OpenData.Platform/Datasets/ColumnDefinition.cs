namespace OpenData.Platform.Datasets;

/// <summary>A declared column of a dataset; its rows are stored in the physical column <see cref="PhysicalName"/>.</summary>
internal sealed record ColumnDefinition(int Position, string Name, ColumnType Type, string Title, string? Description, string? Tag)
{
    /// <summary>Physical names never come from user text, so SQL identifiers are always safe.</summary>
    public string PhysicalName => $"c{Position}";

    /// <summary>
    /// Why an untagged column is suspected of holding personal values (what the profiler or the outbound check found), or null.
    /// A suspected column is scanned on the way out and may not be filtered or sorted on until its owner tags it.
    /// </summary>
    public string? Suspected { get; init; }

    /// <summary>The title in English, or null when the owner gave none (the title is the catalogue's own, Chinese, text).</summary>
    public string? TitleEn { get; init; }

    /// <summary>The description in English, or null when the owner gave none.</summary>
    public string? DescriptionEn { get; init; }

    /// <summary>Whether its owner declared it indexed: each load builds an index on it in the version's table before publishing.</summary>
    public bool Indexed { get; init; }
}
