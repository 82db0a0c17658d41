using System.Globalization;
using Microsoft.Extensions.Localization;
using OpenData.Platform.Marketplace;
using OpenData.Platform.Marketplace.Products;

namespace OpenData.Portal.Marketplace;

/// <summary>How the marketplace's pages write prices, limits and price ranges for people (amounts stay the decimal strings the API answers).</summary>
internal static class MarketText
{
    /// <summary>A plan's price: "free", "¥0.01 per call", "¥2 per 1,000 rows", "¥300 a month".</summary>
    public static string Price(IStringLocalizer text, PriceView price)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(price);
        return price.Model == PriceModel.Free ? text["Market.Price.free"] : text["Market.Price." + price.Model, price.Amount];
    }

    /// <summary>A limit, or "unlimited" written out.</summary>
    public static string Limit(IStringLocalizer text, long? value)
    {
        ArgumentNullException.ThrowIfNull(text);
        return value is { } v ? v.ToString("N0", CultureInfo.CurrentCulture) : text["Market.Unlimited"];
    }

    /// <summary>The range of a product's prices: its cheapest and dearest plans by amount (one price when they are the same).</summary>
    public static string Range(IStringLocalizer text, IReadOnlyList<PlanView> plans)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(plans);
        if (plans.Count == 0)
        {
            return "";
        }
        var ordered = plans.OrderBy(p => Money.Read(p.Price.Amount)).ThenBy(p => p.Price.Model, StringComparer.Ordinal).ToList();
        var (low, high) = (Price(text, ordered[0].Price), Price(text, ordered[^1].Price));
        return low == high ? low : text["Market.Range", low, high];
    }

    /// <summary>A plan's name as shown: its title, else its name.</summary>
    public static string PlanName(PlanView plan) => string.IsNullOrWhiteSpace(plan?.Title) ? plan?.Name ?? "" : plan.Title;
}
