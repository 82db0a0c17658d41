using System.Data.Common;
using Microsoft.Data.Sqlite;
using OpenData.Platform.Datasets;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Ingestion;

/// <summary>One prepared INSERT in one transaction: the fastest way SQLite takes rows.</summary>
internal sealed class SqliteRowSink : IRowSink
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter[] _parameters;
    private readonly ColumnType[] _types;
    private readonly SqlDialect _dialect;

    public SqliteRowSink(DbConnection connection, SqlDialect dialect, string table, IReadOnlyList<ColumnDefinition> columns)
    {
        _connection = connection;
        _dialect = dialect;
        _transaction = connection.BeginTransaction();
        _insert = (SqliteCommand)connection.CreateCommand();
        _insert.Transaction = (SqliteTransaction)_transaction;
        _insert.CommandText = $"INSERT INTO {dialect.Quote(table)} (_row, {string.Join(", ", columns.Select(c => c.PhysicalName))}) " +
            $"VALUES ($r, {string.Join(", ", columns.Select(c => "$" + c.PhysicalName))})";
        _parameters = new SqliteParameter[columns.Count + 1];
        _parameters[0] = _insert.Parameters.Add("$r", SqliteType.Integer);
        for (var i = 0; i < columns.Count; i++)
        {
            _parameters[i + 1] = _insert.Parameters.Add("$" + columns[i].PhysicalName, dialect.ColumnType(columns[i].Type) switch
            {
                "INTEGER" => SqliteType.Integer,
                "REAL" => SqliteType.Real,
                _ => SqliteType.Text,
            });
        }
        _types = columns.Select(c => c.Type).ToArray();
        _insert.Prepare();
    }

    public void Add(long row, object?[] values)
    {
        _parameters[0].Value = row;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            _parameters[i + 1].Value = value is null ? DBNull.Value : _dialect.ToParameter(_types[i], value);
        }
        _insert.ExecuteNonQuery();
    }

    public void Complete() => _transaction.Commit();

    public void Dispose()
    {
        _insert.Dispose();
        _transaction.Dispose();
    }
}
