using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenData.Platform.Common;

/// <summary>
/// Reads JSON strings, refusing one that holds a NUL character (<c>\u0000</c>): no field of this API takes one, and
/// PostgreSQL cannot store text containing it, so let through it fails at the INSERT as a 500 instead of a 400 at its path.
/// </summary>
internal sealed class NulFreeStringConverter : JsonConverter<string>
{
    public const string Complaint = "a string holds a NUL character (\\u0000), which no value of this API holds";

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        if (value is not null && value.Contains('\0', StringComparison.Ordinal))
        {
            throw new JsonException(Complaint);
        }
        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
