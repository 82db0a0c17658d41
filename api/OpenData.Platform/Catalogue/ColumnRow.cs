using OpenData.Platform.Datasets;

namespace OpenData.Platform.Catalogue;

/// <summary>A row of the <c>dataset_columns</c> table.</summary>
internal sealed class ColumnRow
{
    public long DatasetKey { get; set; }
    public int Position { get; set; }
    public string Name { get; set; } = "";
    public string Type { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Description { get; set; }
    public string? Tag { get; set; }
    public string? TitleEn { get; set; }
    public string? DescriptionEn { get; set; }
    public string? Suspected { get; set; }
    public bool Indexed { get; set; }

    public ColumnDefinition ToDefinition() =>
        new(Position, Name, ColumnTypes.TryParse(Type, out var type) ? type.Value : throw new InvalidDataException($"unknown column type '{Type}'"), Title, Description, Tag) { Suspected = Suspected, TitleEn = TitleEn, DescriptionEn = DescriptionEn, Indexed = Indexed };
}
