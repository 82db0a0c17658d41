namespace OpenData.Platform.Catalogue;

/// <summary>
/// Where a publishing organisation stands as a licensed data service provider (the Marketplace module answers from its
/// licences): a provider's datasets must be derived from data it may read, and a provider whose licence was revoked publishes no
/// new dataset or version. An owner tenant holds no licence and keeps the catalogue's own rules. Asked on every declaration and
/// upload, so a source answers from a short cache.
/// </summary>
internal interface IPublisherLicences
{
    ValueTask<PublisherLicence> OfAsync(string tenantId, CancellationToken cancellationToken);
}

/// <summary>A publisher's provider licence: none (an owner), in force, or revoked.</summary>
internal enum PublisherLicence
{
    None,
    InForce,
    Revoked,
}
