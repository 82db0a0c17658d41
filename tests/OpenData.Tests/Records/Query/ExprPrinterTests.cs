using OpenData.Platform.Records.Query;

namespace OpenData.Tests.Records.Query;

public class ExprPrinterTests
{
    private static readonly Expr A = Eq("a", 1);
    private static readonly Expr B = Eq("b", 2);
    private static readonly Expr C = Eq("c", 3);

    [Fact]
    public void Parenthesises_only_where_precedence_or_associativity_needs_it()
    {
        Assert.Equal("a = 1 or b = 2 or c = 3", ExprPrinter.Print(new OrExpr(new OrExpr(A, B), C)));
        Assert.Equal("a = 1 or (b = 2 or c = 3)", ExprPrinter.Print(new OrExpr(A, new OrExpr(B, C))));
        Assert.Equal("a = 1 and (b = 2 and c = 3)", ExprPrinter.Print(new AndExpr(A, new AndExpr(B, C))));
        Assert.Equal("(a = 1 or b = 2) and c = 3", ExprPrinter.Print(new AndExpr(new OrExpr(A, B), C)));
        Assert.Equal("a = 1 and (b = 2 or c = 3)", ExprPrinter.Print(new AndExpr(A, new OrExpr(B, C))));
        Assert.Equal("a = 1 or b = 2 and c = 3", ExprPrinter.Print(new OrExpr(A, new AndExpr(B, C))));
        Assert.Equal("not (a = 1 and b = 2)", ExprPrinter.Print(new NotExpr(new AndExpr(A, B), 0)));
        Assert.Equal("not not a = 1", ExprPrinter.Print(new NotExpr(new NotExpr(A, 0), 0)));
        Assert.Equal("not a = 1 and not b = 2", ExprPrinter.Print(new AndExpr(new NotExpr(A, 0), new NotExpr(B, 0))));
    }

    [Fact]
    public void Prints_every_comparison_form()
    {
        var a = new ColumnRef("a", 0);
        Assert.Equal("a in (1, 'x')", ExprPrinter.Print(new InExpr(a, [Int(1), Str("x")])));
        Assert.Equal("a is null", ExprPrinter.Print(new IsNullExpr(a, false)));
        Assert.Equal("a is not null", ExprPrinter.Print(new IsNullExpr(a, true)));
        Assert.Equal("a like 'x%'", ExprPrinter.Print(new LikeExpr(a, Str("x%"))));
        Assert.Equal("a between 1 and 2", ExprPrinter.Print(new BetweenExpr(a, Int(1), Int(2))));
        Assert.Equal(
            "a = 1 and a != 1 and a < 1 and a <= 1 and a > 1 and a >= 1",
            ExprPrinter.Print(Enum.GetValues<CompareOp>().Select(op => (Expr)new CompareExpr(a, op, Int(1))).Aggregate((l, r) => new AndExpr(l, r))));
    }

    [Theory]
    [InlineData("a", false, "a")]
    [InlineData("名称", false, "名称")]
    [InlineData("abc", true, "\"abc\"")]
    [InlineData("and", false, "\"and\"")]
    [InlineData("DATE", false, "\"DATE\"")]
    [InlineData("first name", false, "\"first name\"")]
    [InlineData("say \"hi\"", false, "\"say \"\"hi\"\"\"")]
    [InlineData("1st", false, "\"1st\"")]
    public void Quotes_names_that_need_it_or_were_quoted(string name, bool quoted, string text)
    {
        Assert.Equal(text + " is null", ExprPrinter.Print(new IsNullExpr(new ColumnRef(name, 0, quoted), false)));
    }

    [Fact]
    public void Prints_literals_so_they_read_back_as_the_same_kind()
    {
        Assert.Equal("a = 'it''s'", ExprPrinter.Print(Eq("a", Str("it's"))));
        Assert.Equal("a = -9223372036854775808", ExprPrinter.Print(Eq("a", Int(long.MinValue))));
        Assert.Equal("a = 3.0", ExprPrinter.Print(Eq("a", Dec(3m))));
        Assert.Equal("a = 1.50", ExprPrinter.Print(Eq("a", Dec(1.50m))));
        Assert.Equal("a = 0.0", ExprPrinter.Print(Eq("a", Dec(-0.0m))));
        Assert.Equal("a = -0.001", ExprPrinter.Print(Eq("a", Dec(-0.001m))));
        Assert.Equal("a = 79228162514264337593543950335", ExprPrinter.Print(Eq("a", Dec(decimal.MaxValue))));
        Assert.Equal("a = true", ExprPrinter.Print(Eq("a", new Literal(LiteralKind.Boolean, true, 0))));
        Assert.Equal("a = date'0999-01-02'", ExprPrinter.Print(Eq("a", new Literal(LiteralKind.Date, new DateOnly(999, 1, 2), 0))));
    }

    [Fact]
    public void Prints_order_by_and_select_lists()
    {
        Assert.Equal("a, \"b c\" desc", ExprPrinter.Print([new OrderTerm(new ColumnRef("a", 0), false), new OrderTerm(new ColumnRef("b c", 0), true)]));
        Assert.Equal("a, \"in\", 名称", ExprPrinter.Print([new ColumnRef("a", 0), new ColumnRef("in", 0), new ColumnRef("名称", 0)]));
    }

    [Theory]
    [InlineData("A = 1 AND (b <> 2 OR NOT c IS NULL)", "A = 1 and (b != 2 or not c is null)")]
    [InlineData("  x   in(1,2)  ", "x in (1, 2)")]
    [InlineData("((a = 1))", "a = 1")]
    [InlineData("d = DATE '2024-05-01'", "d = date'2024-05-01'")]
    [InlineData("n = 1E2", "n = 100.0")]
    public void Parsing_then_printing_gives_canonical_text(string text, string canonical)
    {
        Assert.True(QueryParser.TryParseWhere(text, out var expr, out var error), error?.Message);
        Assert.Equal(canonical, ExprPrinter.Print(expr));
    }

    private static CompareExpr Eq(string column, long value) => Eq(column, Int(value));

    private static CompareExpr Eq(string column, Literal value) => new(new ColumnRef(column, 0), CompareOp.Eq, value);

    private static Literal Int(long value) => new(LiteralKind.Integer, value, 0);

    private static Literal Dec(decimal value) => new(LiteralKind.Decimal, value, 0);

    private static Literal Str(string value) => new(LiteralKind.String, value, 0);
}
