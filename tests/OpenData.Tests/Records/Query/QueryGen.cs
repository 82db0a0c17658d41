using CsCheck;
using OpenData.Platform.Records.Query;

namespace OpenData.Tests.Records.Query;

/// <summary>CsCheck generators for query trees and for query-like text.</summary>
internal static class QueryGen
{
    private static readonly string[] KeywordLike =
    [
        "and", "or", "not", "in", "is", "null", "like", "between", "true", "false", "date",
        "asc", "desc", "dates", "android", "order", "in_", "_is", "nullable", "notes",
    ];

    private static readonly string[] Tokens =
    [
        "a", "b", "名称", "人口", "_x1", "\"first name\"", "\"say \"\"hi\"\"\"", "\"", "'", "'it''s'", "'%a_\\'", "''",
        "(", ")", ",", "=", "!=", "<>", "<", "<=", ">", ">=", "==", "!", "-", ".", "@",
        "and", "OR", "Not", "in", "IS", "null", "like", "between", "true", "FALSE", "date", "asc", "desc",
        "date'2024-05-01'", "'2024-13-01'", "0", "1", "-2.5", "1e5", "1E-3", "1e999", "12abc", "1.", "9223372036854775808",
        "99999999999999999999999999999999", " ", "\t", "\u3000", "\u00a0", "😀", "\0", "\uD800", "\u0301", "é",
    ];

    public static Gen<string> Name { get; } = Gen.Frequency(
        (4, Gen.Char["abcxyzABCXYZ_019 -\"'."].Array[1, 8].Select(chars => new string(chars))),
        (2, Gen.Char['\u4e00', '\u9fa5'].Array[1, 4].Select(chars => new string(chars))),
        (2, Gen.OneOf(KeywordLike).SelectMany(word => Gen.Bool.Array[word.Length].Select(upper =>
            new string(word.Select((c, i) => upper[i] ? char.ToUpperInvariant(c) : c).ToArray())))),
        (1, Gen.Char.Array[1, 6].Select(chars => new string(chars))));

    public static Gen<ColumnRef> Column { get; } =
        Gen.Select(Name, Gen.Bool, (name, quoted) => new ColumnRef(name, 0, quoted || !Lexer.IsBareName(name)));

    public static Gen<Literal> Text { get; } = Gen.Frequency(
        (3, Gen.Char["ab'%_\\\" 中文é\n"].Array[0, 10].Select(chars => new string(chars))),
        (1, Gen.Char.Array[0, 10].Select(chars => new string(chars))))
        .Select(text => new Literal(LiteralKind.String, text, 0));

    public static Gen<Literal> Literal { get; } = Gen.Frequency(
        (3, Text),
        (2, Gen.Long.Select(value => new Literal(LiteralKind.Integer, value, 0))),
        (2, Gen.Decimal.Select(value => new Literal(LiteralKind.Decimal, value, 0))),
        (1, Gen.Bool.Select(value => new Literal(LiteralKind.Boolean, value, 0))),
        (1, Gen.DateOnly.Select(value => new Literal(LiteralKind.Date, value, 0))));

    public static Gen<Expr> Comparison { get; } = Gen.OneOf(
        Gen.Select(Column, Gen.Enum<CompareOp>(), Literal, (column, op, value) => (Expr)new CompareExpr(column, op, value)),
        Gen.Select(Column, Literal.Array[1, 5], (column, values) => (Expr)new InExpr(column, values)),
        Gen.Select(Column, Gen.Bool, (column, negated) => (Expr)new IsNullExpr(column, negated)),
        Gen.Select(Column, Text, (column, pattern) => (Expr)new LikeExpr(column, pattern)),
        Gen.Select(Column, Literal, Literal, (column, low, high) => (Expr)new BetweenExpr(column, low, high)));

    /// <summary>Trees at most four levels deep: within every limit the parser enforces.</summary>
    public static Gen<Expr> Expr { get; } = Tree(4);

    public static Gen<OrderTerm[]> OrderTerms { get; } =
        Gen.Select(Column, Gen.Bool, (column, descending) => new OrderTerm(column, descending)).Array[1, 6];

    public static Gen<ColumnRef[]> Columns { get; } = Column.Array[1, 6];

    /// <summary>Arbitrary text, text stitched together from the language's tokens and junk, and valid queries slightly damaged.</summary>
    public static Gen<string> QueryText { get; } = Gen.Frequency(
        (1, Gen.String),
        (2, Gen.Select(Gen.OneOf(Tokens).Array[0, 25], Gen.OneOf("", " "), (tokens, separator) => string.Join(separator, tokens))),
        (2, Gen.Select(Expr, Gen.Int[0, 3], Gen.Int.Positive, Gen.OneOf(Tokens), Damage)));

    private static string Damage(Expr expr, int how, int where, string token)
    {
        var text = ExprPrinter.Print(expr);
        var at = where % (text.Length + 1);
        return how switch
        {
            0 => text[..at],
            1 => text.Insert(at, token),
            2 when at < text.Length => text.Remove(at, 1),
            _ => text,
        };
    }

    private static Gen<Expr> Tree(int depth)
    {
        if (depth == 0)
        {
            return Comparison;
        }
        var child = Tree(depth - 1);
        return Gen.Frequency(
            (3, Comparison),
            (1, Gen.Select(child, child, (left, right) => (Expr)new OrExpr(left, right))),
            (1, Gen.Select(child, child, (left, right) => (Expr)new AndExpr(left, right))),
            (1, child.Select(operand => (Expr)new NotExpr(operand, 0))));
    }
}
