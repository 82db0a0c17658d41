using System.Globalization;
using Npgsql;
using OpenData.Platform.Datasets;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Ingestion;

/// <summary>COPY … FROM STDIN in CSV form into the staging table: PostgreSQL's bulk path.</summary>
/// <remarks>
/// Checked values are written back as canonical CSV text (an unquoted empty field is NULL). Measured on the 620,573
/// villages: binary COPY naming an NpgsqlDbType per value 3.0 s, binary without it 1.6 s, this text COPY 1.3 s
/// (bench/RESULTS.md); the per-value binary writes were the client's hot spot.
/// </remarks>
internal sealed class PostgresRowSink : IRowSink
{
    private readonly NpgsqlCopyTextWriter _copy;
    private readonly char[] _buffer = new char[64];
    private bool _completed;

    public PostgresRowSink(NpgsqlConnection connection, SqlDialect dialect, string table, IReadOnlyList<ColumnDefinition> columns)
    {
        _copy = (NpgsqlCopyTextWriter)connection.BeginTextImport(
            $"COPY {dialect.Quote(table)} (_row, {string.Join(", ", columns.Select(c => c.PhysicalName))}) FROM STDIN (FORMAT csv)");
    }

    public void Add(long row, object?[] values)
    {
        Write(row);
        foreach (var value in values)
        {
            _copy.Write(',');
            switch (value)
            {
                case null: break;
                case string s: WriteText(s); break;
                case long l: Write(l); break;
                case decimal m: _copy.Write(m.ToString(CultureInfo.InvariantCulture)); break;
                case bool b: _copy.Write(b ? "true" : "false"); break;
                case DateOnly d: _copy.Write(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                case DateTime t: _copy.Write(DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)); break;
                default: throw new InvalidOperationException($"cannot copy a {value.GetType().Name}");
            }
        }
        _copy.Write('\n');
    }

    private void Write(long value)
    {
        value.TryFormat(_buffer, out var written, default, CultureInfo.InvariantCulture);
        _copy.Write(_buffer, 0, written);
    }

    // Always quoted: a quoted empty string stays an empty string (unquoted empty is NULL), and quotes are doubled.
    private void WriteText(string text)
    {
        _copy.Write('"');
        if (text.Contains('"', StringComparison.Ordinal))
        {
            _copy.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
        }
        else
        {
            _copy.Write(text);
        }
        _copy.Write('"');
    }

    public void Complete()
    {
        _completed = true;
        _copy.Dispose();
    }

    public void Dispose()
    {
        // Disposing a text import ends the COPY successfully; a load that did not complete is cancelled instead.
        if (!_completed)
        {
            _completed = true;
            try
            {
                _copy.Cancel();
            }
            catch (Exception e) when (e is NpgsqlException or ObjectDisposedException)
            {
                // The server confirms a cancelled COPY with an error; the staging table is dropped by the caller anyway.
            }
        }
        try
        {
            _copy.Dispose();
        }
        catch (ObjectDisposedException)
        {
            // Cancel already ended the COPY.
        }
    }
}
