using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;

namespace OpenData.Platform.Catalogue;

/// <summary>A data-publishing organisation (数源单位).</summary>
internal sealed record Organisation(string Id, string Name, string NameEn, string? Homepage, string? Email);

/// <summary>A catalogue theme (主题), with Chinese and English names.</summary>
internal sealed record Theme(string Id, string Name, string NameEn);

/// <summary>A page of organisations.</summary>
internal sealed record OrganisationList(IReadOnlyList<Organisation> Items);

/// <summary>A page of themes.</summary>
internal sealed record ThemeList(IReadOnlyList<Theme> Items);

/// <summary>Where to fetch a dataset's rows.</summary>
internal sealed record DatasetLinks(string Self, string Records, string ExportCsv, string ExportNdjson);

/// <summary>
/// A dataset as listed in a catalogue search. <c>title</c> and <c>description</c> are the catalogue's (Chinese) text;
/// <c>titleEn</c> and <c>descriptionEn</c> the English, or null when the owner gave none.
/// </summary>
internal sealed record DatasetSummary(
    string Id,
    string Title,
    string? TitleEn,
    string Description,
    string? DescriptionEn,
    string Theme,
    string Owner,
    Classification Classification,
    string License,
    string UpdateFrequency,
    int? Version,
    long RowCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DatasetLinks Links);

/// <summary>A page of catalogue search results; <c>next</c> is the cursor of the following page, or null.</summary>
internal sealed record DatasetPage(IReadOnlyList<DatasetSummary> Items, string? Next);

/// <summary>
/// A column as the caller sees it. <c>filterable</c>: whether this caller may filter and sort on it; <c>suspected</c>: the column
/// is untagged but personal values were found in it, so it is scanned on the way out and not filterable until its owner tags it.
/// <c>titleEn</c> and <c>descriptionEn</c>: the English beside the catalogue's (Chinese) title and description, or null when the owner gave none.
/// <c>indexed</c>: its owner declared it indexed, so each version's table has an index on it (equality, ranges, <c>in</c>, prefix <c>like</c>, sorting).
/// </summary>
internal sealed record ColumnView(string Name, ColumnType Type, string Title, string? Description, string? Tag, ColumnVisibility Visibility, bool Filterable, bool Suspected,
    string? TitleEn = null, string? DescriptionEn = null, bool Indexed = false);

/// <summary>A published version of a dataset.</summary>
internal sealed record DatasetVersionInfo(int Version, long RowCount, DateTimeOffset? PublishedAt, string Status);

/// <summary>
/// A dataset's full metadata, with each column's visibility and the dataset's access for this caller; <c>titleEn</c> and
/// <c>descriptionEn</c> are null when the owner gave no English.
/// </summary>
internal sealed record DatasetDetail(
    string Id,
    string Title,
    string? TitleEn,
    string Description,
    string? DescriptionEn,
    string Theme,
    string Owner,
    Classification Classification,
    string License,
    string UpdateFrequency,
    int? Version,
    long RowCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DatasetAccess Access,
    IReadOnlyList<ColumnView> Columns,
    IReadOnlyList<DatasetVersionInfo> Versions,
    DatasetLinks Links,
    IReadOnlyList<TagSuggestion>? SuggestedTags);


/// <summary>
/// A column to declare when creating a dataset; <c>titleEn</c> and <c>descriptionEn</c>, optional, are its English beside the Chinese;
/// <c>indexed</c>, optional, asks for an index on it in every version (built after each load, before publication).
/// </summary>
internal sealed record NewColumn(string Name, string Type, string? Title, string? Description, string? Tag, string? TitleEn = null, string? DescriptionEn = null,
    bool? Indexed = null);

/// <summary>
/// The body of <c>POST /v1/datasets</c>. <c>title</c> and <c>description</c> are the catalogue's own (Chinese) text;
/// <c>titleEn</c> and <c>descriptionEn</c>, optional, the English that the portal's English pages and DCAT show beside them.
/// <c>sources</c>, optional: the datasets this one is derived from (lineage; it inherits their strictest classification and
/// the tags of the columns it carries).
/// </summary>
internal sealed record NewDataset(
    string Id,
    string Title,
    string? TitleEn,
    string? Description,
    string? DescriptionEn,
    string Theme,
    string Classification,
    string License,
    string UpdateFrequency,
    IReadOnlyList<NewColumn> Columns,
    IReadOnlyList<string>? Sources = null);

/// <summary>A dataset in a lineage: its id and its owner.</summary>
internal sealed record DatasetSource(string Id, string Owner);

/// <summary>
/// <c>GET /v1/datasets/{id}/lineage</c>: the datasets this one was derived from (<c>sources</c>) and the datasets derived from it
/// (<c>derived</c>), each with its owner.
/// </summary>
internal sealed record LineageView(string DatasetId, IReadOnlyList<DatasetSource> Sources, IReadOnlyList<DatasetSource> Derived);
