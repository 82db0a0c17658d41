using OpenData.Platform.Common;

namespace OpenData.Platform.Tenancy;

/// <summary>Error codes of tenancy: tenants, their apps and people (an unknown tenant is <see cref="CommonErrors.TenantNotFound"/>).</summary>
internal static class TenancyErrors
{
    [ErrorCode(409, "a tenant with this id exists already")]
    public const string TenantExists = "tenant.exists";

    [ErrorCode(404, "no app with this id in the caller's tenant")]
    public const string AppNotFound = "app.not_found";

    [ErrorCode(409, "the platform's own tenant cannot be disabled")]
    public const string PlatformTenantProtected = "tenant.platform_protected";

    [ErrorCode(409, "a person with this e-mail address is registered already")]
    public const string MemberExists = "member.exists";
}
