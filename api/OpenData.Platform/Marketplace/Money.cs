using System.Globalization;

namespace OpenData.Platform.Marketplace;

/// <summary>
/// Amounts in CNY as the marketplace writes and reads them: a decimal string (<c>"12.5"</c>, <c>"0.002"</c>), never a float, at
/// most <see cref="Places"/> decimal places, from 0 to <see cref="Max"/>. A statement line is rounded once to the fen (two places),
/// half away from zero (四舍五入), and written with exactly two places.
/// </summary>
internal static class Money
{
    public const string Currency = "CNY";
    public const int Places = 4;
    public const decimal Max = 100_000_000m;

    /// <summary>The amount a price string says, or null with what is wrong with it.</summary>
    public static (decimal? Value, string? Error) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "an amount is a decimal string in CNY, e.g. \"0.05\" or \"199\"");
        }
        var trimmed = text.Trim();
        // Plain digits with an optional point: no exponent, sign, group separator or currency sign to misread.
        if (!trimmed.All(c => c is >= '0' and <= '9' or '.') || trimmed.Count(c => c == '.') > 1 || trimmed.StartsWith('.') || trimmed.EndsWith('.')
            || !decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return (null, $"'{text}' is not an amount: write digits with at most one decimal point, e.g. \"0.05\" (no sign, exponent or separators)");
        }
        if (trimmed.Contains('.', StringComparison.Ordinal) && trimmed.Length - trimmed.IndexOf('.', StringComparison.Ordinal) - 1 > Places)
        {
            return (null, $"'{text}' has more than {Places} decimal places");
        }
        if (value > Max)
        {
            return (null, $"'{text}' is more than {Max.ToString(CultureInfo.InvariantCulture)} CNY");
        }
        return (value, null);
    }

    /// <summary>An amount as stored and answered: invariant, without trailing zeros beyond what it has.</summary>
    public static string Write(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An amount rounded to the fen, half away from zero, with exactly two places.</summary>
    public static string Fen(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture);

    public static decimal Read(string text) => decimal.Parse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
