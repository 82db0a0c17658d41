using System.Globalization;

namespace OpenData.Platform.Desensitisation.Transforms;

/// <summary>
/// Coarser forms of a value. Each is monotone: if a ≤ b then the generalised a sorts no later than the generalised b
/// (bands and grid cells by their lower corner). Anything that cannot be read as the expected kind becomes null,
/// never passes through unchanged.
/// </summary>
internal static class Generalisation
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
    /// A mainland address cut after its county-level division, found by the real division names (county level and above):
    /// <c>浙江省宁波市海曙区南门街道解放南路12号</c> → <c>浙江省宁波市海曙区</c>, <c>海曙区解放南路12号</c> → <c>海曙区</c>. Without a
    /// county it falls back to the prefecture, then the province (<c>宁波市中山路1号</c> → <c>宁波市</c>); null when no division is named.
    /// </summary>
    /// <remarks>
    /// The answer is the chain of divisions as written, from the first name found (each one held by the one before, so
    /// <c>宁波市朝阳区</c> stops at <c>宁波市</c>); nothing after it is ever kept. A county written without its prefecture stays
    /// so: a county name alone can repeat across provinces, and the address never said which.
    /// </remarks>
    public static string? District(object? value)
    {
        if (value is not string text || text.Length == 0)
        {
            return null;
        }
        var names = DivisionNames.Shared;
        var span = text.AsSpan();
        for (var at = 0; at < span.Length; at++)
        {
            if (!names.MayStart(span[at]))
            {
                continue;
            }
            var end = names.ChainEnd(span, at, atStart: at == 0 || !char.IsLetter(span[at - 1]), out _);
            if (end > 0)
            {
                return text[at..end];
            }
        }
        return null;
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
