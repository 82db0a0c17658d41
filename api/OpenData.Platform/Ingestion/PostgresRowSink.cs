using Npgsql;
using NpgsqlTypes;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Ingestion;

/// <summary>Binary COPY into the staging table: PostgreSQL's bulk path.</summary>
internal sealed class PostgresRowSink : IRowSink
{
    private readonly NpgsqlBinaryImporter _importer;
    private readonly NpgsqlDbType[] _types;

    public PostgresRowSink(NpgsqlConnection connection, SqlDialect dialect, string table, IReadOnlyList<ColumnDefinition> columns)
    {
        _importer = connection.BeginBinaryImport(
            $"COPY {dialect.Quote(table)} (_row, {string.Join(", ", columns.Select(c => c.PhysicalName))}) FROM STDIN (FORMAT BINARY)");
        _importer.Timeout = TimeSpan.Zero;
        _types = columns.Select(c => c.Type switch
        {
            ColumnType.Integer => NpgsqlDbType.Bigint,
            ColumnType.Decimal => NpgsqlDbType.Numeric,
            ColumnType.Boolean => NpgsqlDbType.Boolean,
            ColumnType.Date => NpgsqlDbType.Date,
            ColumnType.Datetime => NpgsqlDbType.TimestampTz,
            _ => NpgsqlDbType.Text,
        }).ToArray();
    }

    public void Add(long row, object?[] values)
    {
        _importer.StartRow();
        _importer.Write(row, NpgsqlDbType.Bigint);
        for (var i = 0; i < values.Length; i++)
        {
            switch (values[i])
            {
                case null: _importer.WriteNull(); break;
                case string s: _importer.Write(s, _types[i]); break;
                case long l: _importer.Write(l, _types[i]); break;
                case decimal m: _importer.Write(m, _types[i]); break;
                case bool b: _importer.Write(b, _types[i]); break;
                case DateOnly d: _importer.Write(d, _types[i]); break;
                case DateTime t: _importer.Write(DateTime.SpecifyKind(t, DateTimeKind.Utc), _types[i]); break;
                default: throw new InvalidOperationException($"cannot copy a {values[i]!.GetType().Name}");
            }
        }
    }

    public void Complete() => _importer.Complete();

    public void Dispose() => _importer.Dispose();
}
