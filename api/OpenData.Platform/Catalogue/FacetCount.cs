namespace OpenData.Platform.Catalogue;

/// <summary>How many datasets have one value of a facet (a theme id, an owner id, a classification).</summary>
internal sealed class FacetCount
{
    public string Value { get; set; } = "";
    public long Count { get; set; }
}
