using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Marketplace.Subscriptions;

namespace OpenData.Platform.Marketplace.Statements;

/// <summary>
/// Monthly statements (CST months). While a month is open its lines are computed from metered usage on each read; once it has ended
/// (and <see cref="Grace"/> passed, so every node's counts are written) the first read keeps its lines, and they never change: a
/// correction is an adjustment line on a later, open month (the operator's). Pricing: each day is priced at the plan the
/// subscription held at its end (a plan change takes effect for the whole day it is made); per call counts served requests (not
/// 4xx or 429 answers); per thousand rows counts rows read ÷ 1000; a monthly price is prorated, price × days held ÷ days in the
/// month; each line is rounded once to the fen, half away from zero. Money is decimal throughout.
/// </summary>
internal sealed partial class StatementService(StatementStore store, SubscriptionStore subscriptions, Quotas.AppUsage usage, Quotas.QuotaDay day, TimeProvider clock)
{
    /// <summary>How long after a month's end its statement closes: the usage meters of every node have written their counts by then.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    [GeneratedRegex("^[0-9]{4}-(0[1-9]|1[0-2])$")]
    private static partial Regex MonthPattern();

    public async Task<Outcome<StatementView>> GetAsync(ClaimsPrincipal user, string? month, string? role, CancellationToken cancellationToken)
    {
        var tenant = user.TenantId()!;
        var operatorView = user.HasScope(Scopes.PlatformAdmin);
        if (role is not (null or "subscriber" or "provider"))
        {
            return Refusal.Validation(new Dictionary<string, string[]> { ["role"] = ["role is subscriber (the default) or provider; the operator sees every line"] });
        }
        var (start, error) = Month(month);
        if (error is not null)
        {
            return Refusal.Validation(new Dictionary<string, string[]> { ["month"] = [error] });
        }
        var key = Key(start);
        if (start > MonthStart(Today()))
        {
            return Refusal.Validation(new Dictionary<string, string[]> { ["month"] = [$"{key} has not begun (months are China Standard Time)"] });
        }
        var (lines, closedAt) = await LinesAsync(start, cancellationToken);
        var adjustments = await AdjustmentsAsync(key, cancellationToken);
        var shownRole = operatorView && role is null ? "operator" : role ?? "subscriber";
        bool Mine(string provider, string subscriber) => shownRole switch
        {
            "operator" => true,
            "provider" => provider == tenant,
            _ => subscriber == tenant,
        };
        var shown = lines.Where(l => Mine(l.Provider, l.Subscriber)).ToList();
        var shownAdjustments = adjustments.Where(a => Mine(a.Provider, a.Subscriber)).ToList();
        var total = shown.Sum(l => Money.Read(l.Amount)) + shownAdjustments.Sum(a => Money.Read(a.Amount));
        IReadOnlyList<RevenueLine>? revenue = shownRole is "operator" or "provider"
            ? [.. shown.Select(l => (l.Provider, l.ProductId, Amount: Money.Read(l.Amount)))
                .Concat(shownAdjustments.Select(a => (a.Provider, a.ProductId, Amount: Money.Read(a.Amount))))
                .GroupBy(x => (x.Provider, x.ProductId)).OrderBy(g => g.Key.Provider, StringComparer.Ordinal).ThenBy(g => g.Key.ProductId, StringComparer.Ordinal)
                .Select(g => new RevenueLine(g.Key.Provider, g.Key.ProductId, Money.Fen(g.Sum(x => x.Amount))))]
            : null;
        return new StatementView(key, shownRole, Money.Currency, closedAt is not null, closedAt, shown, shownAdjustments, Money.Fen(total), revenue);
    }

    /// <summary>The operator corrects a closed month: a signed amount on a subscription, carried by an open month's statement.</summary>
    public async Task<Outcome<StatementAdjustment>> AdjustAsync(ClaimsPrincipal user, AdjustmentInput body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var subscription = string.IsNullOrWhiteSpace(body.SubscriptionId) ? null : await subscriptions.FindAsync(body.SubscriptionId, cancellationToken);
        if (subscription is null)
        {
            errors["subscriptionId"] = ["subscriptionId names the subscription the correction is for"];
        }
        var (corrects, correctsError) = Month(body.CorrectsMonth);
        if (body.CorrectsMonth is null || correctsError is not null)
        {
            errors["correctsMonth"] = [correctsError ?? "correctsMonth is the closed month corrected, yyyy-MM"];
        }
        var (target, targetError) = Month(body.Month);
        if (targetError is not null)
        {
            errors["month"] = [targetError];
        }
        var negative = body.Amount?.TrimStart().StartsWith('-') == true;
        var (amount, amountError) = Money.Parse(negative ? body.Amount!.TrimStart()[1..] : body.Amount);
        if (amountError is not null || amount == 0m)
        {
            errors["amount"] = [amountError ?? "amount is not 0: a credit is negative (\"-12.50\"), a charge positive"];
        }
        if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 2000)
        {
            errors["reason"] = ["reason says what is corrected and why (at most 2,000 characters)"];
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        if (target > MonthStart(Today()))
        {
            return Refusal.Validation(new Dictionary<string, string[]> { ["month"] = [$"{Key(target)} has not begun"] });
        }
        if (await ClosedAsync(target, cancellationToken) is not null)
        {
            return Closed(Key(target));
        }
        if (await ClosedAsync(corrects, cancellationToken) is null)
        {
            return Refusal.Validation(new Dictionary<string, string[]>
            {
                ["correctsMonth"] = [$"{Key(corrects)} has not closed: its statement still follows its usage; adjustments correct closed months"],
            });
        }
        var row = new StatementStore.AdjustmentRow
        {
            Id = "adj_" + Guid.NewGuid().ToString("N")[..16], Month = Key(target), CorrectsMonth = Key(corrects), SubscriptionId = subscription!.Id,
            Amount = (negative ? "-" : "") + Money.Fen(amount!.Value), Reason = body.Reason!.Trim(), CreatedBy = user.Actor() ?? user.TenantId()!, CreatedAt = clock.GetUtcNow(),
        };
        var entry = new Audit.AuditEvent("statement.adjusted", user.TenantId(), user.Actor(), null, subscription.ProviderId, row.Id,
            Audit.AuditDetails.Of(("month", row.Month), ("correctsMonth", row.CorrectsMonth), ("subscription", row.SubscriptionId), ("subscriber", subscription.TenantId),
                ("amount", row.Amount), ("reason", row.Reason)));
        if (!await store.AdjustAsync(row, entry, cancellationToken))
        {
            return Closed(row.Month);
        }
        return ToView(row, subscription);
    }

    /// <summary>The month's lines: kept ones once closed; else computed now (and kept, when the month has just become closable).</summary>
    private async Task<(List<StatementLine> Lines, DateTimeOffset? ClosedAt)> LinesAsync(DateOnly start, CancellationToken cancellationToken)
    {
        var key = Key(start);
        if (await store.ClosedAtAsync(key, cancellationToken) is { } closedAt)
        {
            return (await store.LinesAsync(key, cancellationToken), closedAt);
        }
        var end = start.AddMonths(1).AddDays(-1);
        var closable = Closable(start);
        var lines = await ComputeAsync(start, closable ? end : Min(end, Today()), cancellationToken);
        if (!closable)
        {
            return (lines, null);
        }
        var now = clock.GetUtcNow();
        var entry = new Audit.AuditEvent("statement.month_closed", null, null, null, null, key,
            Audit.AuditDetails.Of(("month", key), ("lines", lines.Count), ("total", Money.Fen(lines.Sum(l => Money.Read(l.Amount))))));
        if (await store.CloseAsync(key, lines, now, entry, cancellationToken))
        {
            return (lines, now);
        }
        return (await store.LinesAsync(key, cancellationToken), await store.ClosedAtAsync(key, cancellationToken));
    }

    /// <summary>When the month closed; a month that may close and has not is closed now (its lines kept); an open month: null.</summary>
    private async Task<DateTimeOffset?> ClosedAsync(DateOnly start, CancellationToken cancellationToken)
    {
        if (await store.ClosedAtAsync(Key(start), cancellationToken) is { } closedAt)
        {
            return closedAt;
        }
        // Only a month past its end and grace is priced here (to keep its lines); an open month's lines are not needed to say so.
        return Closable(start) ? (await LinesAsync(start, cancellationToken)).ClosedAt : null;
    }

    /// <summary>Whether the month has ended (CST) and the grace for every node's usage counters has passed.</summary>
    private bool Closable(DateOnly start) =>
        clock.GetUtcNow() >= new DateTimeOffset(start.AddMonths(1).ToDateTime(TimeOnly.MinValue), ChinaStandardTime) + Grace;

    /// <summary>Prices every period each subscription held between <paramref name="from"/> and <paramref name="to"/> (days of one month).</summary>
    private async Task<List<StatementLine>> ComputeAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var all = await subscriptions.AllAsync(null, cancellationToken);
        var periods = (await subscriptions.PeriodsAsync([.. all.Select(s => s.Id)], cancellationToken)).ToLookup(p => p.SubscriptionId);
        var daysInMonth = DateTime.DaysInMonth(from.Year, from.Month);
        var spans = new List<(SubscriptionStore.SubscriptionRow Subscription, SubscriptionStore.PeriodRow Period, DateOnly From, DateOnly To)>();
        foreach (var subscription in all)
        {
            // A retired product's subscription ends with its notice: the day it ends is its last.
            DateOnly? ended = subscription.EndsAt is { } endsAt && subscription.Status == SubscriptionStatus.Active ? CstDay(endsAt) : null;
            foreach (var period in periods[subscription.Id])
            {
                var first = Max(Parse(period.FromDay), from);
                var last = Min(period.ToDay is null ? to : Parse(period.ToDay), to);
                if (ended is { } e)
                {
                    last = Min(last, e);
                }
                if (first <= last)
                {
                    spans.Add((subscription, period, first, last));
                }
            }
        }
        var used = (await usage.DailyAsync([.. spans.Select(s => s.Subscription.ClientId)], Day(from), Day(to), cancellationToken))
            .ToLookup(u => u.App);
        var lines = new List<StatementLine>();
        foreach (var (subscription, period, first, last) in spans.OrderBy(s => s.Subscription.Id, StringComparer.Ordinal).ThenBy(s => s.Period.Seq))
        {
            var days = used[subscription.ClientId].Where(u => string.CompareOrdinal(u.Day, Day(first)) >= 0 && string.CompareOrdinal(u.Day, Day(last)) <= 0).ToList();
            var calls = days.Sum(u => u.Served);
            var rows = days.Sum(u => u.Rows);
            var unit = Money.Read(period.Amount);
            var held = last.DayNumber - first.DayNumber + 1;
            var (quantity, amount) = period.PriceModel switch
            {
                PriceModel.PerCall => (calls.ToString(CultureInfo.InvariantCulture), unit * calls),
                PriceModel.PerThousandRows => (Money.Write(rows / 1000m), unit * rows / 1000m),
                PriceModel.Monthly => ($"{held}/{daysInMonth}", unit * held / daysInMonth),
                _ => ("0", 0m),
            };
            lines.Add(new StatementLine(subscription.Id, subscription.ProductId, subscription.ProviderId, subscription.TenantId, subscription.ClientId, period.Plan,
                period.PriceModel, period.Amount, Day(first), Day(last), calls, rows, quantity, Money.Fen(amount)));
        }
        return lines;
    }

    private async Task<List<StatementAdjustment>> AdjustmentsAsync(string month, CancellationToken cancellationToken)
    {
        var rows = await store.AdjustmentsAsync(month, cancellationToken);
        var result = new List<StatementAdjustment>();
        foreach (var row in rows)
        {
            if (await subscriptions.FindAsync(row.SubscriptionId, cancellationToken) is { } subscription)
            {
                result.Add(ToView(row, subscription));
            }
        }
        return result;
    }

    private static StatementAdjustment ToView(StatementStore.AdjustmentRow row, SubscriptionStore.SubscriptionRow subscription) =>
        new(row.Id, row.Month, row.CorrectsMonth, row.SubscriptionId, subscription.ProductId, subscription.ProviderId, subscription.TenantId, row.Amount, row.Reason,
            row.CreatedBy, row.CreatedAt);

    private static Refusal Closed(string month) =>
        Refusal.Conflict(MarketplaceErrors.StatementClosed, $"the statement of {month} has closed and never changes: add the correction to an open month");

    /// <summary>The first day of the month asked (the current CST month when none), or what is wrong with it.</summary>
    private (DateOnly Start, string? Error) Month(string? month)
    {
        if (month is null)
        {
            return (MonthStart(Today()), null);
        }
        if (!MonthPattern().IsMatch(month))
        {
            return (default, $"month is yyyy-MM, e.g. {Key(MonthStart(Today()))}; it was '{month}'");
        }
        return (DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture), null);
    }

    private DateOnly Today() => day.Today;

    private static DateOnly MonthStart(DateOnly date) => new(date.Year, date.Month, 1);

    private static DateOnly CstDay(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(ChinaStandardTime).DateTime);

    private static string Key(DateOnly start) => start.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Parse(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
