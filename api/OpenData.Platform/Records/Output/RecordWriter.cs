using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Records.Output;

/// <summary>Serialises rows straight into the response pipe, flushing every few kilobytes so nothing is buffered whole.</summary>
internal abstract class RecordWriter : IDisposable
{
    private const int FlushThreshold = 32 * 1024;

    internal static readonly JsonWriterOptions JsonOptions = new()
    {
        // Chinese text stays readable; the output is JSON served as JSON, never inlined into HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    protected RecordWriter(PipeWriter pipe, IReadOnlyList<ColumnDefinition> columns)
    {
        Pipe = pipe;
        Columns = columns;
    }

    protected PipeWriter Pipe { get; }

    protected IReadOnlyList<ColumnDefinition> Columns { get; }

    public abstract string ContentType { get; }

    public abstract void Begin();

    public abstract void Row(object?[] cells);

    public abstract void End(string? next);

    /// <summary>Bytes serialised and not yet handed to the pipe's reader.</summary>
    protected abstract long Pending { get; }

    protected abstract void Commit();

    public long BytesWritten { get; protected set; }

    /// <summary>Hands what is serialised to the pipe once a few kilobytes have gathered; answers whether it did.</summary>
    public async ValueTask<bool> FlushIfFullAsync(CancellationToken cancellationToken)
    {
        if (Pending < FlushThreshold)
        {
            return false;
        }
        await FlushAsync(cancellationToken);
        return true;
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Commit();
        await Pipe.FlushAsync(cancellationToken);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The writer of a format; <paramref name="defuseCsv"/> turns CSV formula defusing off when the caller asked for raw cells.</summary>
    public static RecordWriter Create(RecordFormat format, PipeWriter pipe, IReadOnlyList<ColumnDefinition> columns, bool defuseCsv = true) => format switch
    {
        RecordFormat.Csv => new CsvRecordWriter(pipe, columns, defuseCsv),
        RecordFormat.Ndjson => new NdjsonRecordWriter(pipe, columns),
        _ => new JsonPageWriter(pipe, columns),
    };
}
