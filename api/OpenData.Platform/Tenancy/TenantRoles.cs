using OpenData.Platform.Identity;

namespace OpenData.Platform.Tenancy;

/// <summary>What each kind of tenant may hold, and which scopes a person's role brings.</summary>
internal static class TenantRoles
{
    public static readonly IReadOnlyList<string> Kinds = ["owner", "consumer", "platform"];

    public static readonly IReadOnlyList<string> Roles = ["admin", "developer", "reviewer"];

    /// <summary>
    /// The scopes an app or person of this kind of tenant may hold, with <paramref name="extra"/> ones the tenant holds now
    /// (<see cref="TenantScopes"/>: a licensed provider's <c>datasets:write</c> and <c>access:review</c>).
    /// </summary>
    public static IReadOnlyList<string> AllowedScopes(string kind, IReadOnlyCollection<string>? extra = null)
    {
        var allowed = KindScopes(kind);
        return extra is null || extra.Count == 0 ? allowed : [.. Scopes.All.Where(s => allowed.Contains(s) || extra.Contains(s))];
    }

    private static IReadOnlyList<string> KindScopes(string kind) => kind switch
    {
        "platform" => Scopes.All,
        "owner" => [Scopes.CatalogueRead, Scopes.RecordsRead, Scopes.DatasetsWrite, Scopes.AccessReview, Scopes.TenantAdmin],
        _ => [Scopes.CatalogueRead, Scopes.RecordsRead, Scopes.AccessRequest, Scopes.TenantAdmin],
    };

    /// <summary>The scopes a person with <paramref name="role"/> holds in a tenant of <paramref name="kind"/> (and its <paramref name="extra"/> scopes now).</summary>
    public static IReadOnlyList<string> ScopesOf(string kind, string role, IReadOnlyCollection<string>? extra = null)
    {
        var allowed = AllowedScopes(kind, extra);
        IEnumerable<string> wanted = role switch
        {
            "admin" => allowed,
            "reviewer" => [Scopes.CatalogueRead, Scopes.RecordsRead, Scopes.AccessReview],
            _ => [Scopes.CatalogueRead, Scopes.RecordsRead, Scopes.AccessRequest, Scopes.DatasetsWrite],
        };
        return wanted.Where(allowed.Contains).ToList();
    }
}
