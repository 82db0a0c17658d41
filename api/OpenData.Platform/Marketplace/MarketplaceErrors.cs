using OpenData.Platform.Common;

namespace OpenData.Platform.Marketplace;

/// <summary>Error codes of the data-services marketplace.</summary>
internal static class MarketplaceErrors
{
    [ErrorCode(404, "no product with this id is published (or, for its provider, exists)")]
    public const string ProductNotFound = "product.not_found";

    [ErrorCode(409, "a product with this id exists")]
    public const string ProductExists = "product.exists";

    [ErrorCode(403, "only a data owner, or a tenant the operator licensed as a provider, publishes products; and only its own products")]
    public const string NotProvider = "product.not_provider";

    [ErrorCode(409, "the product's status does not allow this (a retired product is final; only a published product takes subscriptions)")]
    public const string ProductStatus = "product.invalid_status";

    [ErrorCode(404, "no subscription with this id is the caller's (as subscriber or provider)")]
    public const string SubscriptionNotFound = "subscription.not_found";

    [ErrorCode(409, "the agreement version accepted is not the product's current one: read it again and accept the current version")]
    public const string AgreementOutdated = "subscription.agreement_outdated";

    [ErrorCode(409, "the app already holds a subscription (one per app, so that its usage and limits are the subscription's), or is bound otherwise")]
    public const string AppTaken = "subscription.app_taken";

    [ErrorCode(409, "the subscription's status does not allow this (only a pending one is decided; only an active one changes plan)")]
    public const string SubscriptionStatus = "subscription.invalid_status";

    [ErrorCode(403, "only the product's provider decides its subscriptions")]
    public const string NotProductProvider = "subscription.not_provider";

    [ErrorCode(404, "no tenant with this id")]
    public const string TenantNotFound = "provider.tenant_not_found";

    [ErrorCode(409, "the month's statement has closed: it never changes; correct it with an adjustment on an open month")]
    public const string StatementClosed = "statement.closed";
}
