namespace OpenData.Platform.Catalogue;

/// <summary>A page of datasets as stored, before REST or GraphQL shapes it; <c>Next</c> is the following page's cursor.</summary>
internal sealed record DatasetRowPage(IReadOnlyList<DatasetRow> Items, string? Next);
