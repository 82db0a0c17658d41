using System.IO.Pipelines;
using System.Text.Json;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Records.Output;

/// <summary><c>{"items":[{…},…],"next":"…"}</c>.</summary>
internal sealed class JsonPageWriter : RecordWriter
{
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText[] _names;

    public JsonPageWriter(PipeWriter pipe, IReadOnlyList<ColumnDefinition> columns) : base(pipe, columns)
    {
        _json = new Utf8JsonWriter(pipe, JsonOptions);
        _names = columns.Select(c => JsonEncodedText.Encode(c.Name, JsonOptions.Encoder)).ToArray();
    }

    public override string ContentType => "application/json; charset=utf-8";

    protected override long Pending => _json.BytesPending;

    public override void Begin()
    {
        _json.WriteStartObject();
        _json.WriteStartArray("items");
    }

    public override void Row(object?[] cells) => WriteObject(_json, _names, cells);

    internal static void WriteObject(Utf8JsonWriter json, JsonEncodedText[] names, object?[] cells)
    {
        json.WriteStartObject();
        for (var i = 0; i < names.Length; i++)
        {
            json.WritePropertyName(names[i]);
            CellFormat.WriteJson(json, cells[i]);
        }
        json.WriteEndObject();
    }

    public override void End(string? next)
    {
        _json.WriteEndArray();
        if (next is null)
        {
            _json.WriteNull("next");
        }
        else
        {
            _json.WriteString("next", next);
        }
        _json.WriteEndObject();
        Commit();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _json.Dispose();
        }
        base.Dispose(disposing);
    }

    protected override void Commit()
    {
        BytesWritten += _json.BytesPending;
        _json.Flush();
    }
}
