using OpenData.Platform.Records.Query;

namespace OpenData.Tests.Records.Query;

/// <summary>Compares parsed queries by structure and values, ignoring where in the text each part was written.</summary>
internal static class ExprShape
{
    public static bool Same(Expr a, Expr b) => (a, b) switch
    {
        (OrExpr x, OrExpr y) => Same(x.Left, y.Left) && Same(x.Right, y.Right),
        (AndExpr x, AndExpr y) => Same(x.Left, y.Left) && Same(x.Right, y.Right),
        (NotExpr x, NotExpr y) => Same(x.Operand, y.Operand),
        (CompareExpr x, CompareExpr y) => Same(x.Column, y.Column) && x.Op == y.Op && Same(x.Value, y.Value),
        (InExpr x, InExpr y) => Same(x.Column, y.Column) && x.Values.Count == y.Values.Count
            && x.Values.Zip(y.Values).All(pair => Same(pair.First, pair.Second)),
        (IsNullExpr x, IsNullExpr y) => Same(x.Column, y.Column) && x.Negated == y.Negated,
        (LikeExpr x, LikeExpr y) => Same(x.Column, y.Column) && Same(x.Pattern, y.Pattern),
        (BetweenExpr x, BetweenExpr y) => Same(x.Column, y.Column) && Same(x.Low, y.Low) && Same(x.High, y.High),
        _ => false,
    };

    // Quoting is how a name is written, not which column it is: "date" and date name the same column.
    public static bool Same(ColumnRef a, ColumnRef b) => string.Equals(a.Name, b.Name, StringComparison.Ordinal);

    // decimal.Equals compares values, so 3m and 3.0m are the same literal.
    public static bool Same(Literal a, Literal b) => a.Kind == b.Kind && a.Value.GetType() == b.Value.GetType() && a.Value.Equals(b.Value);

    public static bool Same(IReadOnlyList<OrderTerm> a, IReadOnlyList<OrderTerm> b) =>
        a.Count == b.Count && a.Zip(b).All(pair => Same(pair.First.Column, pair.Second.Column) && pair.First.Descending == pair.Second.Descending);

    public static bool Same(IReadOnlyList<ColumnRef> a, IReadOnlyList<ColumnRef> b) =>
        a.Count == b.Count && a.Zip(b).All(pair => Same(pair.First, pair.Second));
}
