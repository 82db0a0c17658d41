using OpenData.Platform.Storage;

namespace OpenData.Platform.Catalogue;

/// <summary>A declared column of a dataset; its rows are stored in the physical column <see cref="PhysicalName"/>.</summary>
public sealed record ColumnDefinition(int Position, string Name, ColumnType Type, string Title, string? Description, string? Tag)
{
    /// <summary>Physical names never come from user text, so SQL identifiers are always safe.</summary>
    public string PhysicalName => $"c{Position}";
}
