using Dapper;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Records;
using OpenData.Platform.Records.Query;
using OpenData.Platform.Storage;

namespace OpenData.Tests.Records;

/// <summary>The SQL compiler of the read path, without a database: the statement text and its parameters for each dialect.</summary>
public class RecordSqlTests
{
    private static readonly ColumnDefinition Code = new(0, "code", ColumnType.String, "c0", null, null);
    private static readonly ColumnDefinition Population = new(1, "population", ColumnType.Integer, "c1", null, null);
    private static readonly ColumnDefinition Secret = new(2, "secret", ColumnType.String, "c2", null, null);

    private static readonly DatasetSchema Dataset = new(1, "towns", "o", "Towns", Classification.Open, 3, [Code, Population, Secret]);

    private static readonly CallerView View = new(Dataset, DatasetAccess.Open, [ColumnVisibility.Clear, ColumnVisibility.Clear, ColumnVisibility.Hidden]);

    private static readonly DatasetVersionTable Table = new(3, "ds_1_v3", 10);

    private static CompiledRead Compile(SqlDialect dialect, IReadOnlyList<OrderKey> order, Expr? filter = null, RecordCursor? after = null, int? limit = 100)
    {
        var compiled = RecordSql.Compile(dialect, Dataset, View, Table, [Code, Population], order, filter, after, limit);
        Assert.Null(compiled.Refusal);
        return compiled.Value!;
    }

    private static object? Value(CompiledRead read, string name) => ((SqlMapper.IParameterLookup)read.Parameters)[name];

    [Fact]
    public void A_first_page_reads_row_keys_and_columns_in_row_order_and_one_row_past_the_limit()
    {
        var read = Compile(new SqliteDialect(), []);
        Assert.Equal("SELECT _row, c0, c1 FROM \"ds_1_v3\" ORDER BY _row ASC LIMIT @p0", read.Sql);
        Assert.Equal(101L, Convert.ToInt64(Value(read, "p0"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void An_export_has_no_limit()
    {
        var read = Compile(new PostgresDialect(), [], limit: null);
        Assert.DoesNotContain("LIMIT", read.Sql, StringComparison.Ordinal);
        Assert.Empty(read.Parameters.ParameterNames);
    }

    [Fact]
    public void Order_keys_come_first_with_nulls_first_ascending_and_last_descending()
    {
        var read = Compile(new PostgresDialect(), [new OrderKey(Population, true), new OrderKey(Code, false)]);
        Assert.StartsWith("SELECT _row, c1, c0, c0, c1 FROM ", read.Sql, StringComparison.Ordinal);
        Assert.EndsWith(" ORDER BY c1 DESC NULLS LAST, c0 ASC NULLS FIRST, _row ASC LIMIT @p0", read.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cursor_becomes_a_keyset_predicate_with_every_key_bound_as_a_parameter()
    {
        // After (population 500, code '3302'), sorted population desc then code: rows with a smaller population or none, or the
        // same population and a later code, or both equal and a later row.
        var after = new RecordCursor(3, new byte[RecordCursor.HashLength], [500L, "3302"], 41);
        var read = Compile(new SqliteDialect(), [new OrderKey(Population, true), new OrderKey(Code, false)], after: after);
        Assert.True(read.Sql.Contains(
            "WHERE (((c1 < @p0 OR c1 IS NULL)) OR (c1 = @p1 AND c0 > @p2) OR (c1 = @p1 AND c0 = @p3 AND _row > @p4))",
            StringComparison.Ordinal), read.Sql);
        Assert.Equal("3302", Value(read, "p2"));
        Assert.Equal(41L, Convert.ToInt64(Value(read, "p4"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("3302", read.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_key_in_the_cursor_compares_with_IS_NULL_and_never_binds_a_null()
    {
        var after = new RecordCursor(3, new byte[RecordCursor.HashLength], [null], 7);
        var read = Compile(new PostgresDialect(), [new OrderKey(Population, false)], after: after);
        Assert.Contains("WHERE ((c1 IS NOT NULL) OR (c1 IS NULL AND _row > @p0))", read.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void The_filter_and_the_keyset_are_both_required()
    {
        Assert.True(QueryParser.TryParseWhere("code like '33%'", out var filter, out _));
        var after = new RecordCursor(3, new byte[RecordCursor.HashLength], [], 9);
        var read = Compile(new SqliteDialect(), [], filter, after);
        Assert.Matches(@"WHERE \(.*c0.*\) AND \(\(_row > @p\d\)\) ORDER BY _row ASC", read.Sql);
    }

    [Fact]
    public void A_filter_of_the_wrong_type_or_on_a_hidden_column_is_a_refusal_not_an_exception()
    {
        Assert.True(QueryParser.TryParseWhere("population = 'many'", out var mismatch, out _));
        var refused = RecordSql.Compile(new SqliteDialect(), Dataset, View, Table, [Code], [], mismatch, null, 10);
        Assert.Equal("query.type_mismatch", refused.Refusal?.Code);

        Assert.True(QueryParser.TryParseWhere("secret = 'x'", out var hidden, out _));
        refused = RecordSql.Compile(new PostgresDialect(), Dataset, View, Table, [Code], [], hidden, null, 10);
        Assert.Equal(400, refused.Refusal?.Status);
        Assert.DoesNotContain("secret = ", refused.Refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cursor_on_an_ascending_first_key_also_bounds_it_so_an_index_starts_the_page_at_the_cursor()
    {
        var after = new RecordCursor(3, new byte[RecordCursor.HashLength], ["3302"], 41);
        var read = Compile(new PostgresDialect(), [new OrderKey(Code, false)], after: after);
        Assert.Contains("WHERE (c0 >= @p3 AND ((c0 > @p0) OR (c0 = @p1 AND _row > @p2)))", read.Sql, StringComparison.Ordinal);
        Assert.Equal("3302", Value(read, "p3"));
    }

    [Theory]
    [InlineData("population = 3.0", " = ", 3L)]
    [InlineData("population < 2.5", " < ", 3L)]
    [InlineData("population <= 2.5", " <= ", 2L)]
    [InlineData("population > 2.5", " > ", 2L)]
    [InlineData("population >= 2.5", " >= ", 3L)]
    [InlineData("population >= -2.5", " >= ", -2L)]
    public void An_integer_column_compared_with_a_number_binds_the_whole_number_that_selects_the_same_rows(string where, string op, long bound)
    {
        // A numeric parameter would make PostgreSQL cast every row's bigint to numeric, and no index on the column could serve.
        Assert.True(QueryParser.TryParseWhere(where, out var filter, out _));
        var read = Compile(new PostgresDialect(), [], filter);
        Assert.Contains("c1" + op + "@p0", read.Sql, StringComparison.Ordinal);
        Assert.Equal(bound, Assert.IsType<long>(Value(read, "p0")));
    }

    [Fact]
    public void A_fraction_equal_to_no_integer_keeps_its_value_and_drops_out_of_an_in_list()
    {
        Assert.True(QueryParser.TryParseWhere("population = 2.5", out var equal, out _));
        Assert.Equal(2.5m, Assert.IsType<decimal>(Value(Compile(new PostgresDialect(), [], equal), "p0")));

        Assert.True(QueryParser.TryParseWhere("population in (2.5, 4, 6.0)", out var @in, out _));
        var read = Compile(new PostgresDialect(), [], @in);
        Assert.Contains("c1 IN (@p0, @p1)", read.Sql, StringComparison.Ordinal);
        Assert.Equal(4L, Assert.IsType<long>(Value(read, "p0")));
        Assert.Equal(6L, Assert.IsType<long>(Value(read, "p1")));

        Assert.True(QueryParser.TryParseWhere("population between 1.5 and 4.5", out var between, out _));
        read = Compile(new PostgresDialect(), [], between);
        Assert.Equal(2L, Assert.IsType<long>(Value(read, "p0")));
        Assert.Equal(4L, Assert.IsType<long>(Value(read, "p1")));
    }
}
