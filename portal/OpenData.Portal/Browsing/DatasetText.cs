using OpenData.Platform.Catalogue;

namespace OpenData.Portal.Browsing;

/// <summary>A dataset's title and description in the page's language, falling back to the other one.</summary>
internal static class DatasetText
{
    public static ShownText ShownTitle(this DatasetRow dataset) => PortalCulture.Text(dataset.Title, dataset.TitleEn);

    public static ShownText ShownDescription(this DatasetRow dataset) => PortalCulture.Text(dataset.Description, dataset.DescriptionEn);
}
