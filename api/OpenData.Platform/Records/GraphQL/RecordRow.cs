using System.Text.Json;
using System.Text.Json.Serialization;
using OpenData.Platform.Records.Output;

namespace OpenData.Platform.Records.GraphQL;

/// <summary>One row of a page on its way into a GraphQL answer: the selected columns' names and the row's desensitised cells.</summary>
internal sealed class RecordRow(JsonEncodedText[] names, object?[] cells)
{
    public JsonEncodedText[] Names { get; } = names;

    public object?[] Cells { get; } = cells;
}

/// <summary>Writes a <see cref="RecordRow"/> with the REST page writer's code, so both APIs give the same JSON for a row.</summary>
internal sealed class RecordRowJsonConverter : JsonConverter<RecordRow>
{
    public override RecordRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("rows are only written");

    public override void Write(Utf8JsonWriter writer, RecordRow value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        JsonPageWriter.WriteObject(writer, value.Names, value.Cells);
    }
}
