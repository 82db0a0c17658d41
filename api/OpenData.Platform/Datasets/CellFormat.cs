using System.Globalization;
using System.Text.Json;

namespace OpenData.Platform.Datasets;

/// <summary>How a cell value looks on the wire, the same in JSON, NDJSON and CSV.</summary>
internal static class CellFormat
{
    public const string DatetimeFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    public static void WriteJson(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case long l: json.WriteNumberValue(l); break;
            case double d: json.WriteNumberValue(d); break;
            case decimal m: json.WriteNumberValue(m); break;
            case bool b: json.WriteBooleanValue(b); break;
            case DateOnly d: json.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case DateTime t: json.WriteStringValue(t.ToUniversalTime().ToString(DatetimeFormat, CultureInfo.InvariantCulture)); break;
            default: json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToUniversalTime().ToString(DatetimeFormat, CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
