using System.Text.Json.Serialization;
using OpenData.Platform.Marketplace.Products;

namespace OpenData.Platform.Marketplace.Subscriptions;

/// <summary>A subscription's states: pending (the provider decides), active, rejected, cancelled, and ended (a retired product's, past its end).</summary>
internal static class SubscriptionStatus
{
    public const string Pending = "pending";
    public const string Active = "active";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";
    public const string Ended = "ended";
}

/// <summary>The body of <c>POST /v1/subscriptions</c>: the product, its plan, the subscriber's app (client id) and the agreement version accepted.</summary>
internal sealed record SubscriptionInput(string? ProductId, string? Plan, string? AppId, string? AgreementVersion);

/// <summary>The provider's <c>POST /v1/subscriptions/{id}/decision</c>: approve or reject, with a reason (required to reject).</summary>
internal sealed record SubscriptionDecision(string? Decision, string? Reason);

/// <summary>
/// The subscriber's <c>POST /v1/subscriptions/{id}/change</c>: another plan of the product, and the agreement version accepted when the
/// product's agreement changed since.
/// </summary>
internal sealed record SubscriptionChange(string? Plan, string? AgreementVersion);

/// <summary>The subscriber's <c>POST /v1/subscriptions/{id}/cancel</c>, with an optional reason.</summary>
internal sealed record SubscriptionCancel(string? Reason);

/// <summary>A plan a subscription held: from and to (CST days, inclusive; to null while it holds), with the price and limits accepted.</summary>
internal sealed record PeriodView(string Plan, PriceView Price, LimitsView Limits, string From, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? To);

/// <summary>A subscription as its subscriber and the product's provider see it.</summary>
internal sealed record SubscriptionView(
    string Id, string ProductId, string Provider, string Tenant, string AppId, string Plan, string AgreementVersion, string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? DecidedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EndsAt,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<PeriodView> Periods);

internal sealed record SubscriptionPage(IReadOnlyList<SubscriptionView> Items);
