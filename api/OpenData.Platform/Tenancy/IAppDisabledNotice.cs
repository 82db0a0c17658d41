namespace OpenData.Platform.Tenancy;

/// <summary>
/// Told when an app is disabled on this node, so whoever checks its tokens (the token server's void list) stops them at once
/// rather than at its next reload. Tenancy raises it and knows nothing of tokens.
/// </summary>
internal interface IAppDisabledNotice
{
    void AppDisabled(string appId);
}
