namespace OpenData.Platform.Tenancy;

/// <summary>
/// Told when an app's bounds (<see cref="AppBounds"/>) change on this node, so whoever reads its tokens applies the new ones from
/// the next request rather than at its next reload. Tenancy raises it and knows nothing of tokens.
/// </summary>
internal interface IAppBoundsNotice
{
    void AppBoundsChanged(string appId);
}
