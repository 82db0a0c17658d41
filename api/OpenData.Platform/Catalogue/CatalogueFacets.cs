namespace OpenData.Platform.Catalogue;

/// <summary>The counts of matching datasets per theme, owner and classification.</summary>
internal sealed record CatalogueFacets(IReadOnlyList<FacetCount> Themes, IReadOnlyList<FacetCount> Owners, IReadOnlyList<FacetCount> Classifications);
