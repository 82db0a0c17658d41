using System.Globalization;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Ingestion;

/// <summary>Checks a CSV field against its column's type and converts it; an empty field is NULL.</summary>
internal static class ValueParser
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy/MM/dd", "yyyyMMdd", "yyyy-M-d", "yyyy/M/d"];

    public static bool TryParse(ReadOnlySpan<char> field, ColumnType type, out object? value, out string? error)
    {
        error = null;
        value = null;
        var text = type == ColumnType.String ? field : field.Trim();
        if (text.IsEmpty)
        {
            return true;
        }
        switch (type)
        {
            case ColumnType.String:
                value = text.ToString();
                return true;
            case ColumnType.Integer:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    value = l;
                    return true;
                }
                error = "is not a whole number";
                return false;
            case ColumnType.Decimal:
                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m))
                {
                    value = m;
                    return true;
                }
                error = "is not a number (use '.' for decimals, no thousands separators)";
                return false;
            case ColumnType.Boolean:
                var lower = text.ToString().ToLowerInvariant();
                if (lower is "true" or "1" or "yes" or "y" or "t" or "是")
                {
                    value = true;
                    return true;
                }
                if (lower is "false" or "0" or "no" or "n" or "f" or "否")
                {
                    value = false;
                    return true;
                }
                error = "is not a boolean (true/false, 1/0, yes/no, 是/否)";
                return false;
            case ColumnType.Date:
                if (DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    value = d;
                    return true;
                }
                error = "is not a date (yyyy-MM-dd)";
                return false;
            case ColumnType.Datetime:
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                {
                    value = t.UtcDateTime;
                    return true;
                }
                error = "is not a date and time (ISO 8601, e.g. 2024-05-01T08:30:00+08:00)";
                return false;
            default:
                error = "has an unknown type";
                return false;
        }
    }
}
