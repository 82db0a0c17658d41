using OpenData.Platform.Catalogue;

namespace OpenData.Portal.Browsing;

/// <summary>Theme and organisation names by id, in the request's language (the catalogue holds both).</summary>
internal sealed class CatalogueNames(IReadOnlyList<Theme> themes, IReadOnlyList<Organisation> organisations)
{
    public IReadOnlyList<Theme> Themes { get; } = themes;

    public IReadOnlyList<Organisation> Organisations { get; } = organisations;

    public static async Task<CatalogueNames> LoadAsync(CatalogueStore store, CancellationToken cancellationToken) =>
        new(await store.ThemesAsync(cancellationToken), await store.OrganisationsAsync(cancellationToken));

    public string Theme(string id) => Themes.FirstOrDefault(t => t.Id == id) is { } theme ? PortalCulture.Pick(theme.Name, theme.NameEn) : id;

    public string Organisation(string id) =>
        Organisations.FirstOrDefault(o => o.Id == id) is { } organisation ? PortalCulture.Pick(organisation.Name, organisation.NameEn) : id;
}
