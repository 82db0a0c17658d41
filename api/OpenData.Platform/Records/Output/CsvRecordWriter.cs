using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using OpenData.Platform.Catalogue;

namespace OpenData.Platform.Records.Output;

/// <summary>
/// RFC 4180 CSV in UTF-8 with a header of column names. Written as bytes straight into the response pipe:
/// Sep's writer works on a synchronous TextWriter, which Kestrel's response body does not allow.
/// </summary>
internal sealed class CsvRecordWriter(PipeWriter pipe, IReadOnlyList<ColumnDefinition> columns) : RecordWriter(pipe, columns)
{
    private long _pending;

    public override string ContentType => "text/csv; charset=utf-8";

    protected override long Pending => _pending;

    public override void Begin()
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (i > 0)
            {
                WriteAscii(',');
            }
            WriteField(Columns[i].Name);
        }
        WriteNewLine();
    }

    public override void Row(object?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                WriteAscii(',');
            }
            var text = CellFormat.Text(cells[i]);
            if (text is not null)
            {
                WriteField(text);
            }
        }
        WriteNewLine();
    }

    public override void End(string? next)
    {
    }

    protected override void Commit() => _pending = 0;

    private void WriteField(string text)
    {
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            WriteText(text);
            return;
        }
        WriteAscii('"');
        WriteText(text.Replace("\"", "\"\"", StringComparison.Ordinal));
        WriteAscii('"');
    }

    private void WriteText(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text.AsSpan(), Pipe);
        _pending += bytes;
        BytesWritten += bytes;
    }

    private void WriteAscii(char ch)
    {
        var span = Pipe.GetSpan(1);
        span[0] = (byte)ch;
        Pipe.Advance(1);
        _pending++;
        BytesWritten++;
    }

    private void WriteNewLine()
    {
        var span = Pipe.GetSpan(2);
        span[0] = (byte)'\r';
        span[1] = (byte)'\n';
        Pipe.Advance(2);
        _pending += 2;
        BytesWritten += 2;
    }
}
