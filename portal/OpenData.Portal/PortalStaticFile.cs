namespace OpenData.Portal;

/// <summary>
/// Endpoint metadata marking the portal's static files (vendored libraries, CSS, JS): files the framework serves from the
/// build's manifest, not routes of the platform, so route-by-route tests (authorisation matrix, fuzzing) leave them out.
/// </summary>
public sealed class PortalStaticFile
{
    public static readonly PortalStaticFile Instance = new();

    private PortalStaticFile()
    {
    }
}
