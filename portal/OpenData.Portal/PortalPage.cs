namespace OpenData.Portal;

/// <summary>Endpoint metadata marking the portal's pages: they get the portal's culture and Content-Security-Policy.</summary>
public sealed class PortalPage
{
    public static readonly PortalPage Instance = new();

    /// <summary>
    /// Everything from the platform itself, nothing inline. Bootstrap's stylesheet draws a few icons (select arrows, the menu
    /// button) from data: URIs, which cannot run script; nothing else is allowed beyond the default.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private PortalPage()
    {
    }
}
