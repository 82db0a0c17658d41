namespace OpenData.Platform.Catalogue;

/// <summary>The platform in three numbers: datasets, organisations that publish them, rows held in their current versions.</summary>
internal sealed class CatalogueFigures
{
    public long Datasets { get; set; }
    public long Owners { get; set; }
    public long RowTotal { get; set; }
}
