using System.Text;
using CsCheck;
using Dapper;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Records;
using OpenData.Platform.Records.Query;
using OpenData.Platform.Storage;

namespace OpenData.Tests.Records;

public class FilterCompilerPropertyTests
{
    private static readonly DatasetSchema Dataset = new(1, "t", "o", "t", Classification.Open, 1,
    [
        new ColumnDefinition(0, "s", ColumnType.String, "s", null, null),
        new ColumnDefinition(1, "i", ColumnType.Integer, "i", null, null),
        new ColumnDefinition(2, "d", ColumnType.Decimal, "d", null, null),
        new ColumnDefinition(3, "b", ColumnType.Boolean, "b", null, null),
        new ColumnDefinition(4, "t", ColumnType.Date, "t", null, null),
        new ColumnDefinition(5, "名称", ColumnType.String, "n", null, null),
    ]);

    private static readonly CallerView View = new(Dataset, DatasetAccess.Open, Enumerable.Repeat(ColumnVisibility.Clear, 6).ToArray());

    // Every text value carries a marker that cannot appear in SQL the compiler writes.
    private static readonly Gen<string> MarkedText = Gen.Char.Array[0, 12].Select(c => "§" + new string(c));

    private static readonly Gen<Expr> Leaf = Gen.OneOf<Expr>(
        Gen.Select(Gen.OneOf(Gen.Const("s"), Gen.Const("名称")), Gen.Enum<CompareOp>(), MarkedText,
            (c, op, v) => new CompareExpr(new ColumnRef(c, 1), op, new Literal(LiteralKind.String, v, 3))),
        Gen.Select(Gen.Long, Gen.Enum<CompareOp>(), (v, op) => (Expr)new CompareExpr(new ColumnRef("i", 1), op, new Literal(LiteralKind.Integer, v, 3))),
        Gen.Select(Gen.Decimal, (v) => (Expr)new CompareExpr(new ColumnRef("d", 1), CompareOp.Gt, new Literal(LiteralKind.Decimal, v, 3))),
        Gen.Bool.Select(v => (Expr)new CompareExpr(new ColumnRef("b", 1), CompareOp.Eq, new Literal(LiteralKind.Boolean, v, 3))),
        Gen.Int[0, 20000].Select(days => (Expr)new BetweenExpr(new ColumnRef("t", 1),
            new Literal(LiteralKind.Date, new DateOnly(1990, 1, 1).AddDays(days), 3), new Literal(LiteralKind.Date, new DateOnly(2030, 1, 1), 9))),
        MarkedText.Array[1, 6].Select(values => (Expr)new InExpr(new ColumnRef("s", 1), values.Select(v => new Literal(LiteralKind.String, v, 3)).ToList())),
        MarkedText.Select(v => (Expr)new LikeExpr(new ColumnRef("s", 1), new Literal(LiteralKind.String, v, 3))),
        Gen.Bool.Select(negated => (Expr)new IsNullExpr(new ColumnRef("i", 1), negated)));

    private static readonly Gen<Expr> Tree = Gen.Recursive<Expr>((depth, tree) => depth >= 4 ? Leaf : Gen.Frequency(
        (3, Leaf),
        (1, Gen.Select(tree, tree, (l, r) => (Expr)new AndExpr(l, r))),
        (1, Gen.Select(tree, tree, (l, r) => (Expr)new OrExpr(l, r))),
        (1, tree.Select(e => (Expr)new NotExpr(e, 1)))));

    [Fact]
    public void Every_value_becomes_a_parameter_on_both_dialects()
    {
        Tree.Sample(expr =>
        {
            foreach (SqlDialect dialect in new SqlDialect[] { new SqliteDialect(), new PostgresDialect() })
            {
                var parameters = new DynamicParameters();
                var compiler = new FilterCompiler(Dataset, View, dialect, parameters);
                var sql = new StringBuilder();
                Assert.True(compiler.TryCompile(expr, sql, out var problem), problem?.Detail);
                var text = sql.ToString();
                Assert.DoesNotContain("§", text, StringComparison.Ordinal);
                Assert.DoesNotContain("'", text.Replace("ESCAPE '\\'", "", StringComparison.Ordinal), StringComparison.Ordinal);
                Assert.Equal(Literals(expr), compiler.ParameterCount);
                Assert.Equal(compiler.ParameterCount, parameters.ParameterNames.Count());
                Assert.All(parameters.ParameterNames, name => Assert.Contains("@" + name, text, StringComparison.Ordinal));
                // Only physical column names reach SQL, never the declared ones.
                Assert.DoesNotContain("名称", text, StringComparison.Ordinal);
            }
        }, iter: 500);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_a_positioned_type_mismatch_not_an_exception()
    {
        Gen.Select(Gen.OneOf(Gen.Const("i"), Gen.Const("b"), Gen.Const("t"), Gen.Const("d")), MarkedText, (column, text) => (column, text)).Sample(c =>
        {
            var expr = new CompareExpr(new ColumnRef(c.column, 1), CompareOp.Eq, new Literal(LiteralKind.String, c.text, 5));
            var compiler = new FilterCompiler(Dataset, View, new SqliteDialect(), new DynamicParameters());
            Assert.False(compiler.TryCompile(expr, new StringBuilder(), out var problem));
            Assert.Equal("query.type_mismatch", problem!.Code);
            Assert.Equal(5, problem.Position);
        }, iter: 200);
    }

    private static int Literals(Expr expr) => expr switch
    {
        AndExpr a => Literals(a.Left) + Literals(a.Right),
        OrExpr o => Literals(o.Left) + Literals(o.Right),
        NotExpr n => Literals(n.Operand),
        CompareExpr or LikeExpr => 1,
        BetweenExpr => 2,
        InExpr i => i.Values.Count,
        _ => 0,
    };
}
