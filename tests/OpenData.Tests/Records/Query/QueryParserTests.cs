using OpenData.Platform.Records.Query;

namespace OpenData.Tests.Records.Query;

public class QueryParserTests
{
    [Fact]
    public void Date_is_a_column_where_a_column_is_expected_and_a_literal_where_a_value_is()
    {
        Assert.True(QueryParser.TryParseWhere("date >= date'2025-01-01' and date < '2025-02-01'", out var expr, out _));
        var and = Assert.IsType<AndExpr>(expr);
        var first = Assert.IsType<CompareExpr>(and.Left);
        Assert.Equal("date", first.Column.Name);
        Assert.Equal(LiteralKind.Date, first.Value.Kind);
        Assert.Equal("date", Assert.IsType<CompareExpr>(and.Right).Column.Name);
        Assert.True(QueryParser.TryParseSelect("code, date", out var columns, out _));
        Assert.Equal(["code", "date"], columns.Select(c => c.Name));
        Assert.True(QueryParser.TryParseOrderBy("date desc", out var order, out _));
        Assert.True(order[0].Descending);
    }

    [Fact]
    public void Comparison_records_column_operator_value_and_positions()
    {
        var expr = Parse("name = 'x'");

        var compare = Assert.IsType<CompareExpr>(expr);
        Assert.Equal(new ColumnRef("name", 1), compare.Column);
        Assert.Equal(CompareOp.Eq, compare.Op);
        Assert.Equal(new Literal(LiteralKind.String, "x", 8), compare.Value);
        Assert.Equal(1, compare.Position);
    }

    [Theory]
    [InlineData("a = 1", nameof(CompareOp.Eq))]
    [InlineData("a != 1", nameof(CompareOp.Ne))]
    [InlineData("a <> 1", nameof(CompareOp.Ne))]
    [InlineData("a < 1", nameof(CompareOp.Lt))]
    [InlineData("a <= 1", nameof(CompareOp.Le))]
    [InlineData("a > 1", nameof(CompareOp.Gt))]
    [InlineData("a >= 1", nameof(CompareOp.Ge))]
    [InlineData("a>=1", nameof(CompareOp.Ge))]
    [InlineData("a<>1", nameof(CompareOp.Ne))]
    public void Every_comparison_operator_is_read(string text, string opName)
    {
        // By name: the platform's types are internal, and a public test method cannot take one as a parameter.
        var op = Enum.Parse<CompareOp>(opName);
        var compare = Assert.IsType<CompareExpr>(Parse(text));
        Assert.Equal(op, compare.Op);
        Assert.Equal(1L, compare.Value.Value);
    }

    [Fact]
    public void In_list_keeps_its_values_in_order()
    {
        var @in = Assert.IsType<InExpr>(Parse("code in (1, 'two', true, date'2024-05-01', -2.5)"));

        Assert.Equal("code", @in.Column.Name);
        Assert.Equal(
            [1L, "two", true, new DateOnly(2024, 5, 1), -2.5m],
            @in.Values.Select(value => value.Value));
        Assert.Equal([10, 13, 20, 26, 44], @in.Values.Select(value => value.Position));
    }

    [Theory]
    [InlineData("a is null", false)]
    [InlineData("a is not null", true)]
    [InlineData("a IS NOT NULL", true)]
    [InlineData("a Is NuLl", false)]
    public void Is_null_and_is_not_null(string text, bool negated)
    {
        var isNull = Assert.IsType<IsNullExpr>(Parse(text));
        Assert.Equal("a", isNull.Column.Name);
        Assert.Equal(negated, isNull.Negated);
    }

    [Fact]
    public void Like_takes_the_pattern_verbatim()
    {
        var like = Assert.IsType<LikeExpr>(Parse(@"name like 'Bei\_%'"));
        Assert.Equal(new Literal(LiteralKind.String, @"Bei\_%", 11), like.Pattern);
    }

    [Fact]
    public void Between_takes_its_own_and()
    {
        var and = Assert.IsType<AndExpr>(Parse("a between 1 and 10 and b = 2"));

        var between = Assert.IsType<BetweenExpr>(and.Left);
        Assert.Equal(1L, between.Low.Value);
        Assert.Equal(10L, between.High.Value);
        Assert.Equal("b", Assert.IsType<CompareExpr>(and.Right).Column.Name);
    }

    [Fact]
    public void And_binds_tighter_than_or()
    {
        var or = Assert.IsType<OrExpr>(Parse("a = 1 or b = 2 and c = 3"));

        Assert.Equal("a", Column(or.Left));
        var and = Assert.IsType<AndExpr>(or.Right);
        Assert.Equal("b", Column(and.Left));
        Assert.Equal("c", Column(and.Right));
    }

    [Fact]
    public void Parentheses_override_precedence()
    {
        var and = Assert.IsType<AndExpr>(Parse("(a = 1 or b = 2) and c = 3"));

        Assert.IsType<OrExpr>(and.Left);
        Assert.Equal("c", Column(and.Right));
        Assert.Equal(2, and.Position);
    }

    [Fact]
    public void Or_and_and_associate_to_the_left()
    {
        var or = Assert.IsType<OrExpr>(Parse("a = 1 or b = 2 or c = 3"));
        Assert.IsType<OrExpr>(or.Left);
        Assert.Equal("c", Column(or.Right));

        var and = Assert.IsType<AndExpr>(Parse("a = 1 and b = 2 and c = 3"));
        Assert.IsType<AndExpr>(and.Left);
        Assert.Equal("c", Column(and.Right));
    }

    [Fact]
    public void Not_applies_to_the_next_factor_only()
    {
        var and = Assert.IsType<AndExpr>(Parse("not a = 1 and b = 2"));
        var not = Assert.IsType<NotExpr>(and.Left);
        Assert.Equal("a", Column(not.Operand));
        Assert.Equal(1, not.Position);

        var grouped = Assert.IsType<NotExpr>(Parse("x = 0 or not (a = 1 or b = 2)") is OrExpr or ? or.Right : null);
        Assert.IsType<OrExpr>(grouped.Operand);
        Assert.Equal(10, grouped.At);

        var twice = Assert.IsType<NotExpr>(Parse("not not a = 1"));
        Assert.IsType<NotExpr>(twice.Operand);
    }

    [Fact]
    public void Keywords_are_case_insensitive()
    {
        var or = Assert.IsType<OrExpr>(Parse("a IN (1) AnD b Is NoT NuLl Or NOT c LIKE 'x' oR d BETWEEN 1 AND 2 or e = TRUE or f = False or g = DATE'2024-05-01'"));

        Assert.Equal(
            "a in (1) and b is not null or not c like 'x' or d between 1 and 2 or e = true or f = false or g = date'2024-05-01'",
            ExprPrinter.Print(or));
    }

    [Fact]
    public void Quoted_names_escape_double_quotes_and_may_be_keywords()
    {
        var compare = Assert.IsType<CompareExpr>(Parse("\"say \"\"hi\"\"\" = 1"));
        Assert.Equal(new ColumnRef("say \"hi\"", 1, Quoted: true), compare.Column);

        Assert.Equal(new ColumnRef("and", 1, Quoted: true), Assert.IsType<IsNullExpr>(Parse("\"and\" is null")).Column);
        Assert.Equal(new ColumnRef("first name", 1, Quoted: true), Assert.IsType<CompareExpr>(Parse("\"first name\" = 'Ann'")).Column);
    }

    [Fact]
    public void Chinese_names_are_bare_names()
    {
        var and = Assert.IsType<AndExpr>(Parse("名称 = '北京' and 人口 > 1000"));

        Assert.Equal(new ColumnRef("名称", 1), Assert.IsType<CompareExpr>(and.Left).Column);
        Assert.Equal("北京", Assert.IsType<CompareExpr>(and.Left).Value.Value);
        Assert.Equal(new ColumnRef("人口", 15), Assert.IsType<CompareExpr>(and.Right).Column);
    }

    [Fact]
    public void Words_that_merely_start_with_a_keyword_are_names()
    {
        Assert.Equal("android", Column(Parse("android = 1")));
        Assert.Equal("dates", Column(Parse("dates = 1")));
        Assert.Equal("_in", Column(Parse("_in = 1")));
        Assert.Equal("notes2", Column(Parse("notes2 = 1")));
    }

    [Theory]
    [InlineData("a = 'it''s'", "it's")]
    [InlineData("a = ''", "")]
    [InlineData("a = ''''", "'")]
    [InlineData("a = 'line\nbreak \"quoted\" 中文 😀'", "line\nbreak \"quoted\" 中文 😀")]
    public void Strings_unescape_doubled_quotes(string text, string value)
    {
        Assert.Equal(new Literal(LiteralKind.String, value, 5), Assert.IsType<CompareExpr>(Parse(text)).Value);
    }

    [Theory]
    [InlineData("a = 42", nameof(LiteralKind.Integer), "42")]
    [InlineData("a = -42", nameof(LiteralKind.Integer), "-42")]
    [InlineData("a = 0", nameof(LiteralKind.Integer), "0")]
    [InlineData("a = 9223372036854775807", nameof(LiteralKind.Integer), "9223372036854775807")]
    [InlineData("a = -9223372036854775808", nameof(LiteralKind.Integer), "-9223372036854775808")]
    [InlineData("a = 9223372036854775808", nameof(LiteralKind.Decimal), "9223372036854775808")]
    [InlineData("a = 3.25", nameof(LiteralKind.Decimal), "3.25")]
    [InlineData("a = -0.5", nameof(LiteralKind.Decimal), "-0.5")]
    [InlineData("a = 2.0", nameof(LiteralKind.Decimal), "2.0")]
    [InlineData("a = 1e3", nameof(LiteralKind.Decimal), "1000")]
    [InlineData("a = 2.5E-2", nameof(LiteralKind.Decimal), "0.025")]
    public void Numbers_are_integers_when_whole_and_in_range_else_decimals(string text, string kindName, string value)
    {
        var kind = Enum.Parse<LiteralKind>(kindName);
        var literal = Assert.IsType<CompareExpr>(Parse(text)).Value;

        Assert.Equal(kind, literal.Kind);
        Assert.Equal(value, Convert.ToString(literal.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.IsType(kind == LiteralKind.Integer ? typeof(long) : typeof(decimal), literal.Value);
        Assert.Equal(5, literal.Position);
    }

    [Theory]
    [InlineData("d = date'2024-05-01'")]
    [InlineData("d = DATE '2024-05-01'")]
    public void Date_literals(string text)
    {
        Assert.Equal(new Literal(LiteralKind.Date, new DateOnly(2024, 5, 1), 5), Assert.IsType<CompareExpr>(Parse(text)).Value);
    }

    [Fact]
    public void Booleans()
    {
        Assert.Equal(new Literal(LiteralKind.Boolean, true, 5), Assert.IsType<CompareExpr>(Parse("a = true")).Value);
        Assert.Equal(new Literal(LiteralKind.Boolean, false, 6), Assert.IsType<CompareExpr>(Parse("a != FALSE")).Value);
    }

    [Fact]
    public void Any_unicode_whitespace_separates_tokens()
    {
        var and = Assert.IsType<AndExpr>(Parse("\u3000a\t=\n1\u00a0and\r\nb\u2003is\u2028null "));
        Assert.Equal(new ColumnRef("a", 2), Assert.IsType<CompareExpr>(and.Left).Column);
        Assert.Equal(new ColumnRef("b", 13), Assert.IsType<IsNullExpr>(and.Right).Column);
    }

    [Theory]
    [InlineData("name = 'x')", "unexpected ')' at 11", 11)]
    [InlineData("name =", "expected a value after '=' at 7, found end of input", 7)]
    [InlineData("name = 'abc", "unterminated string starting at 8", 8)]
    [InlineData("", "expected a condition at 1, found end of input", 1)]
    [InlineData("   ", "expected a condition at 4, found end of input", 4)]
    [InlineData("a = 1 and", "expected a condition after 'and' at 10, found end of input", 10)]
    [InlineData("(a = 1", "expected ')' after '1' at 7 to close the '(' at 1, found end of input", 7)]
    [InlineData("a = 'x' b = 2", "unexpected 'b' at 9", 9)]
    [InlineData("a == 1", "expected a value after '=' at 4, found '='", 4)]
    [InlineData("a = null", "expected a value after '=' at 5, found 'null' (to test for a missing value, write 'is null' or 'is not null')", 5)]
    [InlineData("a like 5", "expected a quoted pattern such as 'abc%' after 'like' at 8, found '5'", 8)]
    [InlineData("a between 1 or 2", "expected 'and' after '1' at 13, found 'or'", 13)]
    [InlineData("like = 1", "expected a condition at 1, found 'like' ('like' is a keyword; write \"like\" to use it as a column name)", 1)]
    [InlineData("a in ()", "expected a value after '(' at 7, found ')'", 7)]
    [InlineData("a in 1", "expected '(' after 'in' at 6, found '1'", 6)]
    [InlineData("a in (1, 2", "expected ',' or ')' after '2' at 11, found end of input", 11)]
    [InlineData("a is 1", "expected 'null' or 'not null' after 'is' at 6, found '1'", 6)]
    [InlineData("a is not 1", "expected 'null' after 'not' at 10, found '1'", 10)]
    [InlineData("a = date'2024-02-30'", "string '2024-02-30' is not a valid date at 9; write date'YYYY-MM-DD'", 9)]
    [InlineData("a = date 5", "expected a quoted date such as '2024-05-01' after 'date' at 10, found '5'", 10)]
    [InlineData("a = 1e999", "the number '1e999' at 5 is too large", 5)]
    [InlineData("a = 12abc", "malformed number '12abc' at 5", 5)]
    [InlineData("a = 1.5.2", "malformed number '1.5.2' at 5", 5)]
    [InlineData("a = 1.", "malformed number '1.' at 5", 5)]
    [InlineData("a @ 1", "unexpected character '@' at 3", 3)]
    [InlineData("a ! 1", "unexpected character '!' at 3", 3)]
    [InlineData("a = -", "unexpected character '-' at 5", 5)]
    [InlineData("a = 1 \u0001", "unexpected character U+0001 at 7", 7)]
    [InlineData("\"abc = 1", "unterminated quoted name starting at 1", 1)]
    [InlineData("\"\" = 1", "empty column name at 1", 1)]
    [InlineData("a = 'x' and b = 'y", "unterminated string starting at 17", 17)]
    [InlineData("a b", "expected an operator (=, !=, <, <=, >, >=, in, is, like or between) after 'a' at 3, found 'b'", 3)]
    [InlineData("a not in (1)", "expected an operator after 'a' at 3, found 'not' (to negate, put 'not' before the column: not a …)", 3)]
    [InlineData("a = 1 or )", "expected a condition after 'or' at 10, found ')'", 10)]
    [InlineData("名称 = '北京' and 人口", "expected an operator (=, !=, <, <=, >, >=, in, is, like or between) after '人口' at 17, found end of input", 17)]
    public void Bad_where_texts_say_what_and_where(string text, string message, int position)
    {
        Assert.False(QueryParser.TryParseWhere(text, out var expr, out var error));
        Assert.Null(expr);
        Assert.Equal(new QueryError(QueryParser.SyntaxError, message, position), error);
    }

    [Fact]
    public void The_first_mistake_in_reading_order_is_reported()
    {
        Assert.False(QueryParser.TryParseWhere("name = 'x') 'unterminated", out _, out var error));
        Assert.Equal("unexpected ')' at 11", error.Message);
    }

    [Fact]
    public void Order_by_reads_columns_with_optional_directions()
    {
        Assert.True(QueryParser.TryParseOrderBy("a, b desc, \"c d\" ASC, 名称 DESC", out var terms, out var error), error?.Message);

        Assert.Equal(
            [
                new OrderTerm(new ColumnRef("a", 1), false),
                new OrderTerm(new ColumnRef("b", 4), true),
                new OrderTerm(new ColumnRef("c d", 12, Quoted: true), false),
                new OrderTerm(new ColumnRef("名称", 23), true),
            ],
            terms);
    }

    [Fact]
    public void Asc_and_desc_are_column_names_where_a_column_is_expected()
    {
        Assert.True(QueryParser.TryParseOrderBy("asc desc, desc", out var terms, out _));
        Assert.Equal([new OrderTerm(new ColumnRef("asc", 1), true), new OrderTerm(new ColumnRef("desc", 11), false)], terms);
    }

    [Theory]
    [InlineData("", "expected a column name at 1, found end of input", 1)]
    [InlineData("a,", "expected a column name after ',' at 3, found end of input", 3)]
    [InlineData("a desc desc", "expected ',' or end of input after 'desc' at 8, found 'desc'", 8)]
    [InlineData("a b", "expected 'asc', 'desc', ',' or end of input after 'a' at 3, found 'b'", 3)]
    [InlineData("null desc", "expected a column name at 1, found 'null' ('null' is a keyword; write \"null\" to use it as a column name)", 1)]
    [InlineData("a; drop table x", "unexpected character ';' at 2", 2)]
    public void Bad_order_by_texts_say_what_and_where(string text, string message, int position)
    {
        Assert.False(QueryParser.TryParseOrderBy(text, out var terms, out var error));
        Assert.Empty(terms);
        Assert.Equal(new QueryError(QueryParser.SyntaxError, message, position), error);
    }

    [Fact]
    public void Select_reads_a_list_of_columns()
    {
        Assert.True(QueryParser.TryParseSelect(" a ,名称,\"x y\",\"Date\"", out var columns, out var error), error?.Message);

        Assert.Equal(
            [new ColumnRef("a", 2), new ColumnRef("名称", 5), new ColumnRef("x y", 8, Quoted: true), new ColumnRef("Date", 14, Quoted: true)],
            columns);
    }

    [Theory]
    [InlineData("a,,b", "expected a column name after ',' at 3, found ','", 3)]
    [InlineData("a b", "expected ',' or end of input after 'a' at 3, found 'b'", 3)]
    [InlineData("a, null", "expected a column name after ',' at 4, found 'null' ('null' is a keyword; write \"null\" to use it as a column name)", 4)]
    [InlineData("*", "unexpected character '*' at 1", 1)]
    public void Bad_select_texts_say_what_and_where(string text, string message, int position)
    {
        Assert.False(QueryParser.TryParseSelect(text, out var columns, out var error));
        Assert.Empty(columns);
        Assert.Equal(new QueryError(QueryParser.SyntaxError, message, position), error);
    }

    [Fact]
    public void Text_longer_than_the_limit_is_too_complex()
    {
        var atLimit = "a = '" + new string('x', QueryParser.MaxLength - 6) + "'";
        Assert.Equal(QueryParser.MaxLength, atLimit.Length);
        Assert.True(QueryParser.TryParseWhere(atLimit, out _, out _));

        var over = atLimit + " ";
        Assert.False(QueryParser.TryParseWhere(over, out _, out var error));
        Assert.Equal(QueryParser.TooComplex, error.Code);
        Assert.Equal(QueryParser.MaxLength + 1, error.Position);
        Assert.False(QueryParser.TryParseOrderBy(over, out _, out error));
        Assert.Equal(QueryParser.TooComplex, error!.Code);
        Assert.False(QueryParser.TryParseSelect(over, out _, out error));
        Assert.Equal(QueryParser.TooComplex, error!.Code);
    }

    [Fact]
    public void Ten_thousand_open_parentheses_are_too_complex()
    {
        Assert.False(QueryParser.TryParseWhere(new string('(', 10_000), out _, out var error));
        Assert.Equal(QueryParser.TooComplex, error.Code);
    }

    [Fact]
    public void Nesting_beyond_32_levels_is_too_complex_even_within_the_length_limit()
    {
        var deepest = new string('(', 32) + "a = 1" + new string(')', 32);
        Assert.True(QueryParser.TryParseWhere(deepest, out _, out _));

        Assert.False(QueryParser.TryParseWhere(new string('(', 4000), out _, out var error));
        Assert.Equal(new QueryError(QueryParser.TooComplex, "the query nests parentheses and 'not' more than 32 levels deep at 33", 33), error);

        Assert.False(QueryParser.TryParseWhere(string.Concat(Enumerable.Repeat("not ", 1000)) + "a = 1", out _, out error));
        Assert.Equal(QueryParser.TooComplex, error.Code);
        Assert.Equal(32 * 4 + 1, error.Position);
    }

    [Fact]
    public void Deep_input_is_refused_without_deep_recursion()
    {
        // A small stack proves the limit is checked before recursing, not caught after an overflow.
        var parsed = true;
        QueryError? error = null;
        var thread = new Thread(() => parsed = QueryParser.TryParseWhere(string.Concat(Enumerable.Repeat("not (", 800)), out _, out error), 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.False(parsed);
        Assert.Equal(QueryParser.TooComplex, error?.Code);
    }

    [Fact]
    public void More_than_100_comparisons_is_too_complex()
    {
        var hundred = string.Join(" or ", Enumerable.Repeat("a = 1", 100));
        Assert.True(QueryParser.TryParseWhere(hundred, out _, out _));

        var more = hundred + " or b = 2";
        Assert.False(QueryParser.TryParseWhere(more, out _, out var error));
        Assert.Equal(QueryParser.TooComplex, error.Code);
        Assert.Equal(hundred.Length + 5, error.Position);
    }

    [Fact]
    public void More_than_1000_values_in_an_in_list_is_too_complex()
    {
        var thousand = "a in (" + string.Join(",", Enumerable.Repeat("1", 1000)) + ")";
        Assert.True(QueryParser.TryParseWhere(thousand, out var expr, out _));
        Assert.Equal(1000, Assert.IsType<InExpr>(expr).Values.Count);

        var more = "a in (" + string.Join(",", Enumerable.Repeat("1", 1001)) + ")";
        Assert.False(QueryParser.TryParseWhere(more, out _, out var error));
        Assert.Equal(QueryParser.TooComplex, error.Code);
        Assert.Equal(6 + 2 * 1000 + 1, error.Position);
    }

    private static Expr Parse(string text)
    {
        Assert.True(QueryParser.TryParseWhere(text, out var expr, out var error), error?.Message);
        return expr;
    }

    private static string Column(Expr expr) => expr switch
    {
        CompareExpr compare => compare.Column.Name,
        IsNullExpr isNull => isNull.Column.Name,
        _ => throw new ArgumentException($"not a comparison: {expr}", nameof(expr)),
    };
}
