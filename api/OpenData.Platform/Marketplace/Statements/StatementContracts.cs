using System.Text.Json.Serialization;

namespace OpenData.Platform.Marketplace.Statements;

/// <summary>
/// One line of a month's statement: one plan a subscription held in the month, from and to (CST days, inclusive), its usage
/// (served calls and rows read), the quantity priced (<c>calls</c>; rows ÷ 1000; <c>days/daysInMonth</c> for a monthly price; 0 for
/// free) and the amount, rounded once to the fen. Amounts are decimal strings in CNY.
/// </summary>
internal sealed record StatementLine(
    string SubscriptionId, string ProductId, string Provider, string Subscriber, string AppId, string Plan, string PriceModel, string UnitPrice,
    string From, string To, long Calls, long Rows, string Quantity, string Amount);

/// <summary>A correction of a closed month, carried by a later (open) month's statement: a signed amount with its reason.</summary>
internal sealed record StatementAdjustment(string Id, string Month, string CorrectsMonth, string SubscriptionId, string ProductId, string Provider, string Subscriber,
    string Amount, string Reason, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>What a provider earned on a product in the month (lines and adjustments).</summary>
internal sealed record RevenueLine(string Provider, string ProductId, string Amount);

/// <summary>
/// A month's statement as the caller sees it: as subscriber (its subscriptions), provider (the subscriptions to its products) or the
/// operator (everything, with the revenue per provider and product). <c>closed</c> once the month ended (CST) and its lines were
/// kept: they never change after.
/// </summary>
internal sealed record StatementView(
    string Month, string Role, string Currency, bool Closed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ClosedAt,
    IReadOnlyList<StatementLine> Lines, IReadOnlyList<StatementAdjustment> Adjustments, string Total,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RevenueLine>? Revenue);

/// <summary>The operator's <c>POST /v1/statements/adjustments</c>: a signed amount on a subscription, correcting a closed month.</summary>
internal sealed record AdjustmentInput(string? SubscriptionId, string? CorrectsMonth, string? Amount, string? Reason, string? Month);
