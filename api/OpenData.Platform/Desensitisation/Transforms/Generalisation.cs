using System.Globalization;

namespace OpenData.Platform.Desensitisation.Transforms;

/// <summary>
/// Coarser forms of a value. Each is monotone: if a ≤ b then the generalised a sorts no later than the generalised b
/// (bands and grid cells by their lower corner). Anything that cannot be read as the expected kind becomes null,
/// never passes through unchanged.
/// </summary>
public static class Generalisation
{
    /// <summary>Year of a date, a datetime or text starting <c>yyyy-MM-dd</c> / <c>yyyy/MM/dd</c>, as <c>"1990"</c>.</summary>
    public static string? Year(object? value) => ReadDate(value) is { } d ? d.Year.ToString("D4", CultureInfo.InvariantCulture) : null;

    /// <summary>Year and month, as <c>"1990-05"</c>.</summary>
    public static string? Month(object? value) => ReadDate(value) is { } d ? d.ToString("yyyy-MM", CultureInfo.InvariantCulture) : null;

    /// <summary>The band of <paramref name="width"/> holding a number, as <c>"30-39"</c> (integers) or <c>"30-40"</c> (a half-open band of decimals).</summary>
    public static string? Band(object? value, decimal width)
    {
        decimal? number = value switch
        {
            long l => l,
            int i => i,
            decimal m => m,
            double d when double.IsFinite(d) && Math.Abs(d) < 1e27 => (decimal)d,
            string s when decimal.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        if (number is null)
        {
            return null;
        }
        var wholeNumbers = value is long or int && width == Math.Floor(width);
        decimal low, high;
        try
        {
            // The remainder is exact where number / width would round (a tiny fraction, 28 significant digits), so every
            // value lands in its own band.
            var remainder = number.Value % width;
            low = remainder < 0 ? number.Value - remainder - width : number.Value - remainder;
            high = wholeNumbers ? low + width - 1 : low + width;
        }
        catch (OverflowException)
        {
            // A band at the very edge of the decimal range cannot be written down.
            return null;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{low:0.########}-{high:0.########}");
    }

    /// <summary>The band's lower bound, for ordering bands.</summary>
    public static decimal BandLow(string band)
    {
        ArgumentNullException.ThrowIfNull(band);
        var dash = band.IndexOf('-', 1);
        return decimal.Parse(band[..dash], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A <c>"latitude,longitude"</c> point moved to the south-west corner of its grid cell of <paramref name="size"/> degrees:
    /// <c>29.8683,121.5440</c> with 0.01 gives <c>29.86,121.54</c>.
    /// </summary>
    public static string? Grid(object? value, decimal size)
    {
        if (value is not string text)
        {
            return null;
        }
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0
            || !decimal.TryParse(text.AsSpan(0, comma).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            || !decimal.TryParse(text.AsSpan(comma + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            || lat is < -90 or > 90 || lon is < -180 or > 180)
        {
            return null;
        }
        // As many decimals as the size has (0.01 → 2, 0.25 → 2, 2.5 → 1), so a corner is written exactly, never rounded.
        var decimals = 0;
        while (Math.Round(size, decimals) != size)
        {
            decimals++;
        }
        var format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        return (Math.Floor(lat / size) * size).ToString(format, CultureInfo.InvariantCulture) + "," + (Math.Floor(lon / size) * size).ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A mainland address cut after its county-level part (区, 县, 旗, or a county-level 市 after the prefecture's 市):
    /// <c>浙江省宁波市海曙区南门街道解放南路12号</c> → <c>浙江省宁波市海曙区</c>. An address without one becomes null.
    /// </summary>
    public static string? District(object? value)
    {
        if (value is not string text || text.Length == 0)
        {
            return null;
        }
        // Skip the province (…省, …自治区) and the prefecture (…市, …自治州, …地区, …盟), then take the county.
        var from = 0;
        var province = IndexAfter(text, from, "省", "自治区");
        if (province > 0)
        {
            from = province;
        }
        var prefecture = IndexAfter(text, from, "自治州", "地区", "盟", "市");
        var county = IndexAfter(text, prefecture > 0 ? prefecture : from, "区", "县", "旗", "市");
        if (county > 0)
        {
            return text[..county];
        }
        return prefecture > 0 ? text[..prefecture] : null;
    }

    /// <summary>The index just after the first of <paramref name="suffixes"/> found at or after <paramref name="from"/> (at least one character in), or -1.</summary>
    private static int IndexAfter(string text, int from, params string[] suffixes)
    {
        var best = -1;
        foreach (var suffix in suffixes)
        {
            var at = text.IndexOf(suffix, from + 1 <= text.Length ? from + 1 : text.Length, StringComparison.Ordinal);
            if (at > from && (best < 0 || at + suffix.Length < best))
            {
                best = at + suffix.Length;
            }
        }
        return best;
    }

    private static DateOnly? ReadDate(object? value) => value switch
    {
        DateOnly d => d,
        DateTime t => DateOnly.FromDateTime(t),
        DateTimeOffset o => DateOnly.FromDateTime(o.UtcDateTime),
        string s when s.Length >= 10
            && DateOnly.TryParseExact(s.AsSpan(0, 10), ["yyyy-MM-dd", "yyyy/MM/dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d,
        string s when s.Length == 8
            && DateOnly.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d,
        _ => null,
    };
}
