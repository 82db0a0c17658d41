using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Records.Output;

/// <summary>One JSON object a line (application/x-ndjson).</summary>
internal sealed class NdjsonRecordWriter : RecordWriter
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText[] _names;
    private long _pending;

    public NdjsonRecordWriter(PipeWriter pipe, IReadOnlyList<ColumnDefinition> columns) : base(pipe, columns)
    {
        _json = new Utf8JsonWriter(pipe, JsonOptions);
        _names = columns.Select(c => JsonEncodedText.Encode(c.Name, JsonOptions.Encoder)).ToArray();
    }

    public override string ContentType => "application/x-ndjson; charset=utf-8";

    protected override long Pending => _pending;

    public override void Begin()
    {
    }

    public override void Row(object?[] cells)
    {
        JsonPageWriter.WriteObject(_json, _names, cells);
        var bytes = _json.BytesPending + 1;
        _json.Flush();
        _json.Reset(Pipe);
        Pipe.Write(NewLine);
        _pending += bytes;
        BytesWritten += bytes;
    }

    public override void End(string? next)
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _json.Dispose();
        }
        base.Dispose(disposing);
    }

    protected override void Commit() => _pending = 0;
}
