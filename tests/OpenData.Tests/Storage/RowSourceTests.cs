using Dapper;
using Microsoft.Data.Sqlite;
using OpenData.Platform.Datasets;
using OpenData.Platform.Storage;

namespace OpenData.Tests.Storage;

/// <summary>
/// The export's SQLite reader (<see cref="SqliteRowSource"/>) reads SQLite's statement itself; every cell must come out exactly as
/// the data reader and <see cref="SqliteDialect.ReadCell"/> give it, parameters bound as Dapper binds them, and where it cannot
/// bind a parameter it must step aside rather than read it as NULL.
/// </summary>
public sealed class RowSourceTests : IDisposable
{
    private static readonly ColumnType[] Types =
        [ColumnType.Integer, ColumnType.String, ColumnType.Integer, ColumnType.Decimal, ColumnType.Boolean, ColumnType.Date, ColumnType.Datetime];

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"rowsource-{Guid.NewGuid():N}.db");
    private readonly SqliteDialect _dialect = new();
    private readonly Database _database;

    public RowSourceTests()
    {
        _database = new Database(new DatabaseOptions { ConnectionString = $"Data Source={_file}", StatementTimeoutSeconds = 0 });
        using var connection = Open();
        connection.Execute("CREATE TABLE t (_row INTEGER PRIMARY KEY, c0 TEXT, c1 INTEGER, c2 REAL, c3 INTEGER, c4 TEXT, c5 TEXT)");
        string?[] texts = ["宁波市海曙区", "say \"hi\",\r\nthen go", "", null, "宁波市海曙区", "=1+1", "𠀀 outside the BMP", "宁波市海曙区"];
        for (var i = 0; i < texts.Length; i++)
        {
            connection.Execute("INSERT INTO t VALUES (@row, @text, @n, @d, @b, @day, @at)", new
            {
                row = i + 1,
                text = texts[i],
                n = i % 3 == 0 ? (long?)null : (long)Math.Pow(-10, i),
                d = i % 4 == 1 ? (double?)null : (i * 1.25) - 3.5,
                b = i % 2 == 0 ? 1L : 0L,
                day = i == 3 ? null : $"2026-12-0{(i % 9) + 1}",
                at = i == 5 ? null : new DateTime(2026, 12, 4, 8, i, 30, DateTimeKind.Utc).AddTicks(i).ToString(SqliteDialect.DatetimeStorageFormat, System.Globalization.CultureInfo.InvariantCulture),
            });
        }
    }

    public void Dispose()
    {
        _database.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        connection.Open();
        return connection;
    }

    [Theory]
    [InlineData("SELECT _row, c0, c1, c2, c3, c4, c5 FROM t ORDER BY _row", null, null)]
    [InlineData("SELECT _row, c0, c1, c2, c3, c4, c5 FROM t WHERE c0 = @p0 ORDER BY _row", "p0", "宁波市海曙区")]
    [InlineData("SELECT _row, c0, c1, c2, c3, c4, c5 FROM t WHERE _row > @p0 ORDER BY _row", "p0", 3L)]
    [InlineData("SELECT _row, c0, c1, c2, c3, c4, c5 FROM t WHERE c2 >= @p0 ORDER BY _row DESC", "p0", 1.5)]
    public async Task Every_cell_reads_as_the_data_reader_reads_it(string sql, string? name, object? value)
    {
        var parameters = new DynamicParameters();
        if (name is not null)
        {
            parameters.Add(name, value);
        }
        await using var connection = Open();
        var expected = new List<object?[]>();
        await using (var reader = await connection.ExecuteReaderAsync(sql, parameters))
        {
            while (await reader.ReadAsync())
            {
                expected.Add(Types.Select((type, i) => _dialect.ReadCell(reader, i, type)).ToArray());
            }
        }
        Assert.NotEmpty(expected);
        var actual = new List<object?[]>();
        await using (var rows = await RowSource.OpenAsync(_database, sql, parameters, CancellationToken.None))
        {
            Assert.IsType<SqliteRowSource>(rows);
            while (await rows.ReadAsync(CancellationToken.None))
            {
                actual.Add(Types.Select((type, i) => rows.Cell(i, type)).ToArray());
            }
        }
        Assert.Equal(expected.Count, actual.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r], actual[r]);
            for (var c = 0; c < Types.Length; c++)
            {
                Assert.Equal(expected[r][c]?.GetType(), actual[r][c]?.GetType());
            }
        }
    }

    [Fact]
    public async Task A_parameter_it_cannot_bind_leaves_the_read_to_the_data_reader()
    {
        // A list (Dapper expands it), a parameter the statement does not name, and a statement parameter left unbound.
        var list = new DynamicParameters();
        list.Add("p0", new[] { 1L, 2L });
        Assert.Null(SqliteRowSource.TryOpen(_file, "SELECT _row FROM t WHERE _row IN @p0", list));
        var stray = new DynamicParameters();
        stray.Add("p9", 1L);
        Assert.Null(SqliteRowSource.TryOpen(_file, "SELECT _row FROM t WHERE _row > @p0", stray));
        Assert.Null(SqliteRowSource.TryOpen(_file, "SELECT _row FROM t WHERE _row > @p0", null));
        await using var rows = await RowSource.OpenAsync(_database, "SELECT _row FROM t WHERE _row IN @p0", list, CancellationToken.None);
        Assert.IsNotType<SqliteRowSource>(rows);
        var read = new List<object?>();
        while (await rows.ReadAsync(CancellationToken.None))
        {
            read.Add(rows.Cell(0, ColumnType.Integer));
        }
        Assert.Equal([1L, 2L], read);
    }

    [Fact]
    public async Task A_store_error_surfaces_as_sqlite_reports_it()
    {
        var missing = await Assert.ThrowsAsync<SqliteException>(() => RowSource.OpenAsync(_database, "SELECT _row FROM gone", null, CancellationToken.None));
        Assert.Contains("no such table", missing.Message, StringComparison.Ordinal);
    }
}
