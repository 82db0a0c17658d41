using OpenData.Platform.Datasets;

namespace OpenData.Platform.Catalogue;

/// <summary>A row of the <c>datasets</c> table.</summary>
internal class DatasetRow
{
    public long Key { get; set; }
    public string Id { get; set; } = "";
    public string OwnerId { get; set; } = "";
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string? TitleEn { get; set; }
    public string? DescriptionEn { get; set; }
    public string ThemeId { get; set; } = "";
    public string Classification { get; set; } = "";
    public string License { get; set; } = "";
    public string UpdateFrequency { get; set; } = "";
    public int? CurrentVersion { get; set; }
    public long RowCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public Classification ParsedClassification => Enum.Parse<Classification>(Classification, ignoreCase: true);
}
