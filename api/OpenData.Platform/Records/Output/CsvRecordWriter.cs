using System.IO.Pipelines;
using System.Text;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Records.Output;

/// <summary>
/// RFC 4180 CSV in UTF-8 with a header of column names. Written as bytes straight into the response pipe, one span
/// per row (each GetSpan/Advance on Kestrel's pipe takes a lock); Sep's writer works on a synchronous TextWriter,
/// which Kestrel's response body does not allow. Text cells that would start a spreadsheet formula are defused
/// (<see cref="CsvCell"/>) unless the caller asked for raw cells; numbers, dates and booleans are written as they are.
/// </summary>
internal sealed class CsvRecordWriter(PipeWriter pipe, IReadOnlyList<ColumnDefinition> columns, bool defuse) : RecordWriter(pipe, columns)
{
    private readonly string?[] _texts = new string?[columns.Count];
    private long _pending;

    public override string ContentType => "text/csv; charset=utf-8";

    protected override long Pending => _pending;

    public override void Begin()
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            _texts[i] = Columns[i].Name;
        }
        WriteLine();
    }

    public override void Row(object?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            _texts[i] = cells[i] is string text ? CsvCell.Defused(text, defuse) : CellFormat.Text(cells[i]);
        }
        WriteLine();
    }

    public override void End(string? next)
    {
    }

    protected override void Commit() => _pending = 0;

    private void WriteLine()
    {
        // Upper bound: a UTF-16 char is at most 3 UTF-8 bytes, doubled when quotes are doubled, plus quotes, commas, CRLF
        // (a defusing quote is already in the text).
        var bound = 2;
        foreach (var text in _texts)
        {
            bound += text is null ? 1 : (text.Length * 6) + 3;
        }
        var span = Pipe.GetSpan(bound);
        var at = 0;
        for (var i = 0; i < _texts.Length; i++)
        {
            if (i > 0)
            {
                span[at++] = (byte)',';
            }
            var text = _texts[i];
            if (text is null)
            {
                continue;
            }
            if (!CsvCell.NeedsQuotes(text))
            {
                at += Encoding.UTF8.GetBytes(text, span[at..]);
            }
            else
            {
                span[at++] = (byte)'"';
                at += Encoding.UTF8.GetBytes(text.Replace("\"", "\"\"", StringComparison.Ordinal), span[at..]);
                span[at++] = (byte)'"';
            }
        }
        span[at++] = (byte)'\r';
        span[at++] = (byte)'\n';
        Pipe.Advance(at);
        _pending += at;
        BytesWritten += at;
    }
}
