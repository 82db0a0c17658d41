using Npgsql;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Ingestion;

/// <summary>Binary COPY into the staging table: PostgreSQL's bulk path.</summary>
/// <remarks>
/// Values are written through the CLR type's own mapping (string → text, long → bigint, decimal → numeric, bool,
/// DateOnly → date, UTC DateTime → timestamptz); naming an NpgsqlDbType per value looks the type up on every call and
/// made the whole load about twice as slow (measured on 620,573 villages: 3.0 s → 1.6 s).
/// </remarks>
internal sealed class PostgresRowSink : IRowSink
{
    private readonly NpgsqlBinaryImporter _importer;

    public PostgresRowSink(NpgsqlConnection connection, SqlDialect dialect, string table, IReadOnlyList<ColumnDefinition> columns)
    {
        _importer = connection.BeginBinaryImport(
            $"COPY {dialect.Quote(table)} (_row, {string.Join(", ", columns.Select(c => c.PhysicalName))}) FROM STDIN (FORMAT BINARY)");
        _importer.Timeout = TimeSpan.Zero;
    }

    public void Add(long row, object?[] values)
    {
        _importer.StartRow();
        _importer.Write(row);
        foreach (var value in values)
        {
            switch (value)
            {
                case null: _importer.WriteNull(); break;
                case string s: _importer.Write(s); break;
                case long l: _importer.Write(l); break;
                case decimal m: _importer.Write(m); break;
                case bool b: _importer.Write(b); break;
                case DateOnly d: _importer.Write(d); break;
                case DateTime t: _importer.Write(DateTime.SpecifyKind(t, DateTimeKind.Utc)); break;
                default: throw new InvalidOperationException($"cannot copy a {value.GetType().Name}");
            }
        }
    }

    public void Complete() => _importer.Complete();

    public void Dispose() => _importer.Dispose();
}
