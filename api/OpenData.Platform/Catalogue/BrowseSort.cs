namespace OpenData.Platform.Catalogue;

/// <summary>The orders a person can browse the catalogue in.</summary>
internal enum BrowseSort
{
    /// <summary>Most recently updated first.</summary>
    Updated,

    /// <summary>By title.</summary>
    Title,

    /// <summary>Largest first.</summary>
    Rows,

    /// <summary>By id, as the API pages.</summary>
    Id,
}
