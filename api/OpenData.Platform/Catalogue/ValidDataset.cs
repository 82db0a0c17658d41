using OpenData.Platform.Datasets;

namespace OpenData.Platform.Catalogue;

/// <summary>A <see cref="NewDataset"/> that passed validation.</summary>
internal sealed record ValidDataset(
    string Id,
    string Title,
    string? TitleEn,
    string Description,
    string? DescriptionEn,
    string Theme,
    Classification Classification,
    string License,
    string UpdateFrequency,
    IReadOnlyList<ColumnDefinition> Columns);
