using System.Globalization;
using System.Text.Json;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Records;

/// <summary>
/// A keyset cursor: the version it walks, the hash of the filter and order it belongs to, and the last row's sort keys.
/// Resuming binds these as parameters, so a page at any depth costs what the first page costs.
/// </summary>
public sealed record RecordCursor(int Version, string Hash, object?[] Keys, long Row)
{
    public string Encode()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", Version);
            json.WriteString("h", Hash);
            json.WriteNumber("r", Row);
            json.WriteStartArray("k");
            foreach (var key in Keys)
            {
                WriteKey(json, key);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Buffers.Text.Base64Url.EncodeToString(buffer.ToArray());
    }

    private static void WriteKey(Utf8JsonWriter json, object? key)
    {
        switch (key)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case long l: json.WriteNumberValue(l); break;
            case decimal m: json.WriteStringValue(m.ToString(CultureInfo.InvariantCulture)); break;
            case double d: json.WriteStringValue(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case bool b: json.WriteBooleanValue(b); break;
            case DateOnly d: json.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case DateTime t: json.WriteStringValue(t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)); break;
            default: throw new ArgumentException($"cannot put a {key.GetType().Name} in a cursor", nameof(key));
        }
    }

    /// <summary>Reads a cursor this API issued; any other text, or one for other sort keys, is refused.</summary>
    public static bool TryDecode(string text, IReadOnlyList<OrderKey> order, SqlDialect dialect, out RecordCursor? cursor)
    {
        cursor = null;
        try
        {
            if (text.Length > 16384)
            {
                return false;
            }
            using var doc = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(text));
            var root = doc.RootElement;
            var keys = root.GetProperty("k");
            if (keys.GetArrayLength() != order.Count)
            {
                return false;
            }
            var values = new object?[order.Count];
            var i = 0;
            foreach (var element in keys.EnumerateArray())
            {
                values[i] = element.ValueKind == JsonValueKind.Null ? null : ReadKey(element, order[i].Column.Type, dialect);
                i++;
            }
            cursor = new RecordCursor(root.GetProperty("v").GetInt32(), root.GetProperty("h").GetString() ?? "", values, root.GetProperty("r").GetInt64());
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or KeyNotFoundException or OverflowException or ArgumentException)
        {
            return false;
        }
    }

    private static object ReadKey(JsonElement element, ColumnType type, SqlDialect dialect) => type switch
    {
        ColumnType.String => element.GetString()!,
        ColumnType.Integer => element.GetInt64(),
        ColumnType.Decimal when dialect.Provider == DatabaseProvider.Sqlite => double.Parse(element.GetString()!, CultureInfo.InvariantCulture),
        ColumnType.Decimal => decimal.Parse(element.GetString()!, CultureInfo.InvariantCulture),
        ColumnType.Boolean => element.GetBoolean(),
        ColumnType.Date => DateOnly.ParseExact(element.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        ColumnType.Datetime => DateTime.Parse(element.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToUniversalTime(),
        _ => throw new FormatException(),
    };
}
