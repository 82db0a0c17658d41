using OpenData.Platform.Identity;

namespace OpenData.Platform.Tenancy;

/// <summary>What each kind of tenant may hold, and which scopes a person's role brings.</summary>
internal static class TenantRoles
{
    public static readonly IReadOnlyList<string> Kinds = ["owner", "consumer", "platform"];

    public static readonly IReadOnlyList<string> Roles = ["admin", "developer", "reviewer"];

    /// <summary>The scopes an app or person of this kind of tenant may ever hold.</summary>
    public static IReadOnlyList<string> AllowedScopes(string kind) => kind switch
    {
        "platform" => Scopes.All,
        "owner" => [Scopes.CatalogueRead, Scopes.RecordsRead, Scopes.DatasetsWrite, Scopes.AccessReview, Scopes.TenantAdmin],
        _ => [Scopes.CatalogueRead, Scopes.RecordsRead, Scopes.AccessRequest, Scopes.TenantAdmin],
    };

    /// <summary>The scopes a person with <paramref name="role"/> holds in a tenant of <paramref name="kind"/>.</summary>
    public static IReadOnlyList<string> ScopesOf(string kind, string role)
    {
        var allowed = AllowedScopes(kind);
        IEnumerable<string> wanted = role switch
        {
            "admin" => allowed,
            "reviewer" => [Scopes.CatalogueRead, Scopes.RecordsRead, Scopes.AccessReview],
            _ => [Scopes.CatalogueRead, Scopes.RecordsRead, Scopes.AccessRequest, Scopes.DatasetsWrite],
        };
        return wanted.Where(allowed.Contains).ToList();
    }
}
