namespace OpenData.Platform.Common;

/// <summary>
/// Endpoint metadata: this route is metered. Quota admission (issue 5) admits exactly the endpoints carrying it,
/// before any database work for the request; rows are counted through <see cref="Datasets.IRecordReadObserver"/>.
/// </summary>
internal sealed class Metered
{
    public static readonly Metered Instance = new();

    private Metered()
    {
    }
}
