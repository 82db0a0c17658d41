using CsCheck;
using OpenData.Platform.Records.Query;

namespace OpenData.Tests.Records.Query;

public class QueryPropertyTests
{
    [Fact]
    public void Any_text_gives_a_tree_or_a_positioned_error_and_never_throws()
    {
        QueryGen.QueryText.Sample(text =>
        {
            if (QueryParser.TryParseWhere(text, out var expr, out var error))
            {
                Assert.Null(error);
                AssertReparses(expr);
            }
            else
            {
                AssertWellFormed(error, text);
            }

            if (QueryParser.TryParseOrderBy(text, out var terms, out error))
            {
                Assert.NotEmpty(terms);
                Assert.True(QueryParser.TryParseOrderBy(ExprPrinter.Print(terms), out var again, out _));
                Assert.True(ExprShape.Same(terms, again));
            }
            else
            {
                Assert.Empty(terms);
                AssertWellFormed(error, text);
            }

            if (QueryParser.TryParseSelect(text, out var columns, out error))
            {
                Assert.NotEmpty(columns);
                Assert.True(QueryParser.TryParseSelect(ExprPrinter.Print(columns), out var again, out _));
                Assert.True(ExprShape.Same(columns, again));
            }
            else
            {
                Assert.Empty(columns);
                AssertWellFormed(error, text);
            }
        }, iter: 2000);
    }

    [Fact]
    public void Printed_trees_parse_back_to_the_same_tree_and_text()
    {
        QueryGen.Expr.Sample(AssertReparses);
    }

    [Fact]
    public void Printed_order_by_parses_back_to_the_same_terms_and_text()
    {
        QueryGen.OrderTerms.Sample(terms =>
        {
            var text = ExprPrinter.Print(terms);
            Assert.True(QueryParser.TryParseOrderBy(text, out var parsed, out var error), $"{text}: {error?.Message}");
            Assert.True(ExprShape.Same(terms, parsed), text);
            Assert.Equal(text, ExprPrinter.Print(parsed));
        });
    }

    [Fact]
    public void Printed_select_parses_back_to_the_same_columns_and_text()
    {
        QueryGen.Columns.Sample(columns =>
        {
            var text = ExprPrinter.Print(columns);
            Assert.True(QueryParser.TryParseSelect(text, out var parsed, out var error), $"{text}: {error?.Message}");
            Assert.True(ExprShape.Same(columns, parsed), text);
            Assert.Equal(text, ExprPrinter.Print(parsed));
        });
    }

    [Fact]
    public void Nesting_is_refused_exactly_beyond_the_limit_whatever_mix_of_parentheses_and_not()
    {
        Gen.Bool.Array[0, 80].Sample(opens =>
        {
            var text = string.Concat(opens.Select(paren => paren ? "(" : "not ")) + "a = 1" + new string(')', opens.Count(paren => paren));
            var parsed = QueryParser.TryParseWhere(text, out _, out var error);
            if (opens.Length <= QueryParser.MaxDepth)
            {
                Assert.True(parsed, error?.Message);
            }
            else
            {
                Assert.False(parsed);
                Assert.Equal(QueryParser.TooComplex, error!.Code);
                var over = string.Concat(opens.Take(QueryParser.MaxDepth).Select(paren => paren ? "(" : "not ")).Length + 1;
                Assert.Equal(over, error.Position);
            }
        });
    }

    private static void AssertReparses(Expr expr)
    {
        var text = ExprPrinter.Print(expr);
        Assert.True(QueryParser.TryParseWhere(text, out var parsed, out var error), $"{text}: {error?.Message}");
        Assert.True(ExprShape.Same(expr, parsed), text);
        Assert.Equal(text, ExprPrinter.Print(parsed));
    }

    private static void AssertWellFormed(QueryError? error, string text)
    {
        Assert.NotNull(error);
        Assert.Contains(error.Code, new[] { QueryParser.SyntaxError, QueryParser.TooComplex });
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.InRange(error.Position, 0, text.Length + 1);
    }
}
