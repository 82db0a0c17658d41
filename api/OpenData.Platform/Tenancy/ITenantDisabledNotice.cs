namespace OpenData.Platform.Tenancy;

/// <summary>
/// Told when a tenant is disabled or enabled again on this node, so whoever checks tokens and sign-ins (the token server's void
/// list) follows at once rather than at its next reload. Tenancy raises it and knows nothing of tokens.
/// </summary>
internal interface ITenantDisabledNotice
{
    void TenantDisabledChanged(string tenantId);
}
