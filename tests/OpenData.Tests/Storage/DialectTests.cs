using System.Data.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Storage;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Storage;

/// <summary>
/// What each engine's dialect promises, on the engine itself: identifiers quoted so any column name works and none breaks out,
/// every column type bound and read back as the same value, the stored form sorting as the values do (so keyset pages of
/// records follow one another without a gap or a repeat), and LIKE with the same meaning on both engines.
/// </summary>
public sealed class DialectTests
{
    /// <summary>Values of each column type, including the edges of its range, in no particular order.</summary>
    private static readonly Dictionary<ColumnType, object[]> Values = new()
    {
        [ColumnType.String] = ["plain", "", "O'Brien \"quoted\"", "王小明", "emoji 😀", "line\nbreak", " padded ", "100%", "a_b", "\\"],
        [ColumnType.Integer] = [42L, 0L, -1L, long.MaxValue, long.MinValue, 1L],
        [ColumnType.Decimal] = [1.5m, 0m, -12345.6789m, 0.1m, 99999999.99m, -0.5m, 7L],
        [ColumnType.Boolean] = [true, false],
        [ColumnType.Date] = [new DateOnly(2024, 5, 1), DateOnly.MinValue, DateOnly.MaxValue, new DateOnly(2024, 2, 29), new DateOnly(1970, 1, 1)],
        [ColumnType.Datetime] =
        [
            new DateTime(2024, 5, 1, 12, 34, 56, DateTimeKind.Utc).AddTicks(123_450),
            new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            new DateTime(2024, 5, 1, 12, 34, 56, DateTimeKind.Utc),
            new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990),
            new DateTime(2000, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddTicks(10),
        ],
    };

    /// <summary>The CLR value a cell must read back as (SQLite keeps decimals as REAL: the same number to 15 digits).</summary>
    private static object Expected(ColumnType type, object value) => type switch
    {
        ColumnType.Decimal => Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };

    private static object? Normalised(ColumnType type, object? read) =>
        read is not null && type == ColumnType.Decimal ? Math.Round(Convert.ToDecimal(read, System.Globalization.CultureInfo.InvariantCulture), 10) : read;

    private static async Task ExecuteAsync(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        await command.ExecuteNonQueryAsync();
    }

    private static string Cells(ColumnType type) => "cells_" + type.ToString().ToLowerInvariant();

    /// <summary>
    /// A table of (id, value) with the value column of <paramref name="type"/>, filled with <paramref name="values"/> as bound by
    /// the dialect; one name per type, since PostgreSQL's prepared statements (the store prepares automatically) keep the result
    /// type a statement had when it was prepared.
    /// </summary>
    private static async Task<DbConnection> FillAsync(BareStore store, ColumnType type, IReadOnlyList<object?> values)
    {
        var dialect = store.Dialect;
        var connection = await store.Database.OpenAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {Cells(type)} (id integer PRIMARY KEY, {dialect.Quote("value")} {dialect.ColumnType(type)})");
        for (var i = 0; i < values.Count; i++)
        {
            await ExecuteAsync(connection, $"INSERT INTO {Cells(type)} (id, {dialect.Quote("value")}) VALUES (@id, @value)",
                ("id", (long)i), ("value", values[i] is { } v ? dialect.ToParameter(type, v) : null));
        }
        return connection;
    }

    private static async Task<List<(long Id, object? Value)>> ReadAsync(DbConnection connection, SqlDialect dialect, ColumnType type, string sql,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        var rows = new List<(long, object?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), dialect.ReadCell(reader, 1, type)));
        }
        return rows;
    }

    [Fact]
    public void A_quote_or_NUL_in_an_identifier_is_refused_on_both_engines()
    {
        foreach (SqlDialect dialect in new SqlDialect[] { new SqliteDialect(), new PostgresDialect() })
        {
            Assert.Equal("\"name\"", dialect.Quote("name"));
            Assert.Throws<ArgumentException>(() => dialect.Quote("x\" FROM secrets --"));
            Assert.Throws<ArgumentException>(() => dialect.Quote("x\0y"));
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Any_column_name_a_dataset_may_have_works_once_quoted(string db)
    {
        await using var store = await BareStore.CreateAsync(db);
        var dialect = store.Dialect;
        string[] names = ["select", "order", "Mixed Case", "with space", "名称", "a-b", "x'y", "group by", "1starts_with_digit"];
        await using var connection = await store.Database.OpenAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {dialect.Quote("table")} ({string.Join(", ", names.Select(n => $"{dialect.Quote(n)} {dialect.ColumnType(ColumnType.String)}"))})");
        await ExecuteAsync(connection, $"INSERT INTO {dialect.Quote("table")} ({string.Join(", ", names.Select(dialect.Quote))}) VALUES ({string.Join(", ", names.Select((_, i) => $"@p{i}"))})",
            names.Select((n, i) => ($"p{i}", (object?)("value of " + n))).ToArray());

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", names.Select(dialect.Quote))} FROM {dialect.Quote("table")} WHERE {dialect.Quote("select")} = 'value of select'";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        for (var i = 0; i < names.Length; i++)
        {
            Assert.Equal(names[i], reader.GetName(i));
            Assert.Equal("value of " + names[i], dialect.ReadCell(reader, i, ColumnType.String));
        }
        Assert.False(await reader.ReadAsync());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Every_column_type_reads_back_as_the_value_bound(string db)
    {
        await using var store = await BareStore.CreateAsync(db);
        foreach (var (type, values) in Values)
        {
            object?[] withNull = [.. values, null];
            await using var connection = await FillAsync(store, type, withNull);
            var rows = await ReadAsync(connection, store.Dialect, type, $"SELECT id, {store.Dialect.Quote("value")} FROM {Cells(type)} ORDER BY id");
            Assert.Equal(withNull.Length, rows.Count);
            for (var i = 0; i < withNull.Length; i++)
            {
                var expected = withNull[i] is { } v ? Normalised(type, Expected(type, v)) : null;
                var read = Normalised(type, rows[i].Value);
                Assert.True(Equals(expected, read), $"{type} {withNull[i] ?? "null"}: read back {read ?? "null"} ({read?.GetType().Name})");
                if (read is DateTime t)
                {
                    Assert.Equal(DateTimeKind.Utc, t.Kind);
                }
            }
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_datetime_of_another_offset_is_stored_as_the_same_instant(string db)
    {
        await using var store = await BareStore.CreateAsync(db);
        var instant = new DateTimeOffset(2024, 5, 1, 20, 0, 0, TimeSpan.FromHours(8));
        await using var connection = await FillAsync(store, ColumnType.Datetime, [instant.UtcDateTime.ToLocalTime()]);
        var read = Assert.Single(await ReadAsync(connection, store.Dialect, ColumnType.Datetime, $"SELECT id, {store.Dialect.Quote("value")} FROM {Cells(ColumnType.Datetime)}"));
        Assert.Equal(new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc), read.Value);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Keyset_pages_walk_each_column_type_in_value_order_without_gap_or_repeat(string db)
    {
        await using var store = await BareStore.CreateAsync(db);
        var dialect = store.Dialect;
        var value = dialect.Quote("value");
        foreach (var (type, given) in Values)
        {
            // Strings: only text whose order no collation disputes (engines' default collations differ for case and punctuation).
            var values = type == ColumnType.String ? ["delta", "alpha", "charlie10", "charlie9", "bravo", "echo"] : given;
            object[] twice = [.. values, .. values]; // duplicates: the id breaks ties
            await using var connection = await FillAsync(store, type, twice);
            var walked = new List<(long Id, object? Value)>();
            (long Id, object? Value)? last = null;
            while (true)
            {
                var page = last is null
                    ? await ReadAsync(connection, dialect, type, $"SELECT id, {value} FROM {Cells(type)} ORDER BY {value}, id LIMIT 3")
                    : await ReadAsync(connection, dialect, type,
                        $"SELECT id, {value} FROM {Cells(type)} WHERE {value} > @v OR ({value} = @v AND id > @id) ORDER BY {value}, id LIMIT 3",
                        ("v", dialect.ToParameter(type, last.Value.Value!)), ("id", last.Value.Id));
                if (page.Count == 0)
                {
                    break;
                }
                walked.AddRange(page);
                last = page[^1];
            }
            var expected = twice.Select((v, i) => (Id: (long)i, Value: Normalised(type, Expected(type, v))))
                .OrderBy(r => r.Value).ThenBy(r => r.Id).ToList();
            Assert.Equal(expected.Select(r => r.Id), walked.Select(r => r.Id));
            Assert.Equal(expected.Select(r => r.Value), walked.Select(r => Normalised(type, r.Value)));
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Like_means_the_same_on_both_engines_and_its_wildcards_can_be_escaped(string db)
    {
        await using var store = await BareStore.CreateAsync(db);
        var dialect = store.Dialect;
        string[] texts = ["100%", "100 percent", "a_b", "axb", "Star*", "Starry", "q?", "qx", "[x]", "x", "ABC", "abc", "back\\slash"];
        await using var connection = await FillAsync(store, ColumnType.String, texts);
        var value = dialect.Quote("value");

        async Task<string[]> LikeAsync(string pattern)
        {
            var condition = dialect.Like(value, "@p", pattern, out var bound);
            return [.. (await ReadAsync(connection, dialect, ColumnType.String, $"SELECT id, {value} FROM {Cells(ColumnType.String)} WHERE {condition} ORDER BY id", ("p", bound)))
                .Select(r => (string)r.Value!)];
        }

        async Task<string[]> ContainsAsync(string text)
        {
            var condition = dialect.ContainsIgnoreCase(value, "@p");
            return [.. (await ReadAsync(connection, dialect, ColumnType.String, $"SELECT id, {value} FROM {Cells(ColumnType.String)} WHERE {condition} ORDER BY id",
                ("p", "%" + SqlDialect.EscapeLike(text) + "%"))).Select(r => (string)r.Value!)];
        }

        Assert.Equal(["100%", "100 percent"], await LikeAsync("100%"));
        Assert.Equal(["100%"], await LikeAsync(SqlDialect.EscapeLike("100%")));
        Assert.Equal(["a_b", "axb"], await LikeAsync("a_b"));
        Assert.Equal(["a_b"], await LikeAsync(SqlDialect.EscapeLike("a_b")));
        // SQLite's GLOB wildcards are plain characters in a LIKE pattern.
        Assert.Equal(["Star*"], await LikeAsync("Star*"));
        Assert.Equal(["q?"], await LikeAsync("q?"));
        Assert.Equal(["[x]"], await LikeAsync("[x]"));
        Assert.Equal(["back\\slash"], await LikeAsync(SqlDialect.EscapeLike("back\\") + "%"));
        // Case-sensitive, as PostgreSQL's LIKE is (SQLite's own LIKE is not).
        Assert.Equal(["abc"], await LikeAsync("abc"));
        Assert.Equal(["ABC"], await LikeAsync("AB%"));

        Assert.Equal(["ABC", "abc"], await ContainsAsync("bC"));
        Assert.Equal(["100%"], await ContainsAsync("%"));
        Assert.Equal(["a_b"], await ContainsAsync("_"));
        Assert.Equal(["back\\slash"], await ContainsAsync("\\"));
    }
}
