namespace OpenData.Platform.Records.Query;

/// <summary>A node of a parsed <c>where</c> expression; <see cref="Position"/> is the 1-based character where it starts.</summary>
internal abstract record Expr(int Position);

/// <summary><c>left or right</c>.</summary>
internal sealed record OrExpr(Expr Left, Expr Right) : Expr(Left.Position);

/// <summary><c>left and right</c>.</summary>
internal sealed record AndExpr(Expr Left, Expr Right) : Expr(Left.Position);

/// <summary><c>not operand</c>.</summary>
internal sealed record NotExpr(Expr Operand, int At) : Expr(At);

/// <summary><c>col op value</c>.</summary>
internal sealed record CompareExpr(ColumnRef Column, CompareOp Op, Literal Value) : Expr(Column.Position);

/// <summary><c>col in (v1, v2, …)</c>.</summary>
internal sealed record InExpr(ColumnRef Column, IReadOnlyList<Literal> Values) : Expr(Column.Position);

/// <summary><c>col is null</c> or <c>col is not null</c>.</summary>
internal sealed record IsNullExpr(ColumnRef Column, bool Negated) : Expr(Column.Position);

/// <summary><c>col like 'pattern'</c> with <c>%</c> and <c>_</c> wildcards and <c>\</c> escaping them.</summary>
internal sealed record LikeExpr(ColumnRef Column, Literal Pattern) : Expr(Column.Position);

/// <summary><c>col between low and high</c> (inclusive).</summary>
internal sealed record BetweenExpr(ColumnRef Column, Literal Low, Literal High) : Expr(Column.Position);

/// <summary>A column named in a query: a bare name or a double-quoted one.</summary>
internal sealed record ColumnRef(string Name, int Position, bool Quoted = false);

/// <summary>A comparison operator.</summary>
internal enum CompareOp
{
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// <summary>What kind of value a literal holds.</summary>
internal enum LiteralKind
{
    /// <summary>'text'; Value is string.</summary>
    String,

    /// <summary>a whole number that fits a long; Value is long.</summary>
    Integer,

    /// <summary>any other number; Value is decimal.</summary>
    Decimal,

    /// <summary>true or false; Value is bool.</summary>
    Boolean,

    /// <summary>date'2024-05-01'; Value is DateOnly.</summary>
    Date,
}

/// <summary>A value written in a query; it is always bound as a parameter, never spliced into SQL.</summary>
internal sealed record Literal(LiteralKind Kind, object Value, int Position);

/// <summary>One <c>order_by</c> term.</summary>
internal sealed record OrderTerm(ColumnRef Column, bool Descending);

/// <summary>Why a query text was refused: a stable code, a message that says what to fix, and the 1-based position.</summary>
internal sealed record QueryError(string Code, string Message, int Position = 0);
