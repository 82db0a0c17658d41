namespace OpenData.Platform.Identity;

/// <summary>The OAuth scopes of API.md; each has an authorisation policy of the same name.</summary>
internal static class Scopes
{
    public const string CatalogueRead = "catalogue:read";
    public const string RecordsRead = "records:read";
    public const string AccessRequest = "access:request";
    public const string DatasetsWrite = "datasets:write";
    public const string AccessReview = "access:review";
    public const string TenantAdmin = "tenant:admin";
    public const string PlatformAdmin = "platform:admin";

    /// <summary>What an app created without naming scopes may do: read the catalogue and records, nothing more.</summary>
    public static readonly IReadOnlyList<string> AppDefault = [CatalogueRead, RecordsRead];

    public static readonly IReadOnlyList<string> All =
        [CatalogueRead, RecordsRead, AccessRequest, DatasetsWrite, AccessReview, TenantAdmin, PlatformAdmin];
}
