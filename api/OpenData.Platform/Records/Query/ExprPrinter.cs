using System.Globalization;
using System.Text;

namespace OpenData.Platform.Records.Query;

/// <summary>Writes parsed queries back as canonical text that <see cref="QueryParser"/> reads to the same tree.</summary>
internal static class ExprPrinter
{
    private const int OrLevel = 1;
    private const int AndLevel = 2;
    private const int NotLevel = 3;
    private const int ComparisonLevel = 4;

    public static string Print(Expr expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        var text = new StringBuilder();
        Write(text, expr, OrLevel);
        return text.ToString();
    }

    public static string Print(IReadOnlyList<OrderTerm> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var text = new StringBuilder();
        foreach (var term in terms)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }
            WriteColumn(text, term.Column);
            if (term.Descending)
            {
                text.Append(" desc");
            }
        }
        return text.ToString();
    }

    public static string Print(IReadOnlyList<ColumnRef> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var text = new StringBuilder();
        foreach (var column in columns)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }
            WriteColumn(text, column);
        }
        return text.ToString();
    }

    private static int Level(Expr expr) => expr switch
    {
        OrExpr => OrLevel,
        AndExpr => AndLevel,
        NotExpr => NotLevel,
        _ => ComparisonLevel,
    };

    // Both operators are read left-associatively, so a right operand of the same level needs parentheses.
    private static void Write(StringBuilder text, Expr expr, int level)
    {
        var parenthesise = Level(expr) < level;
        if (parenthesise)
        {
            text.Append('(');
        }
        switch (expr)
        {
            case OrExpr or:
                Write(text, or.Left, OrLevel);
                text.Append(" or ");
                Write(text, or.Right, AndLevel);
                break;
            case AndExpr and:
                Write(text, and.Left, AndLevel);
                text.Append(" and ");
                Write(text, and.Right, NotLevel);
                break;
            case NotExpr not:
                text.Append("not ");
                Write(text, not.Operand, NotLevel);
                break;
            case CompareExpr compare:
                WriteColumn(text, compare.Column);
                text.Append(' ').Append(Operator(compare.Op)).Append(' ');
                WriteLiteral(text, compare.Value);
                break;
            case InExpr @in:
                if (@in.Values.Count == 0)
                {
                    throw new ArgumentException("an 'in' list needs at least one value", nameof(expr));
                }
                WriteColumn(text, @in.Column);
                text.Append(" in (");
                for (var i = 0; i < @in.Values.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(", ");
                    }
                    WriteLiteral(text, @in.Values[i]);
                }
                text.Append(')');
                break;
            case IsNullExpr isNull:
                WriteColumn(text, isNull.Column);
                text.Append(isNull.Negated ? " is not null" : " is null");
                break;
            case LikeExpr like:
                WriteColumn(text, like.Column);
                text.Append(" like ");
                WriteLiteral(text, like.Pattern);
                break;
            case BetweenExpr between:
                WriteColumn(text, between.Column);
                text.Append(" between ");
                WriteLiteral(text, between.Low);
                text.Append(" and ");
                WriteLiteral(text, between.High);
                break;
            default:
                throw new ArgumentException($"unknown expression {expr.GetType().Name}", nameof(expr));
        }
        if (parenthesise)
        {
            text.Append(')');
        }
    }

    private static string Operator(CompareOp op) => op switch
    {
        CompareOp.Eq => "=",
        CompareOp.Ne => "!=",
        CompareOp.Lt => "<",
        CompareOp.Le => "<=",
        CompareOp.Gt => ">",
        CompareOp.Ge => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown comparison operator"),
    };

    private static void WriteColumn(StringBuilder text, ColumnRef column)
    {
        if (!column.Quoted && Lexer.IsBareName(column.Name))
        {
            text.Append(column.Name);
            return;
        }
        text.Append('"').Append(column.Name.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    private static void WriteLiteral(StringBuilder text, Literal literal)
    {
        switch (literal.Kind)
        {
            case LiteralKind.String:
                var value = Convert.ToString(literal.Value, CultureInfo.InvariantCulture) ?? "";
                text.Append('\'').Append(value.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
                break;
            case LiteralKind.Integer:
                text.Append(Convert.ToInt64(literal.Value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                break;
            case LiteralKind.Decimal:
                text.Append(DecimalText(Convert.ToDecimal(literal.Value, CultureInfo.InvariantCulture)));
                break;
            case LiteralKind.Boolean:
                text.Append(Convert.ToBoolean(literal.Value, CultureInfo.InvariantCulture) ? "true" : "false");
                break;
            case LiteralKind.Date:
                text.Append("date'").Append(((DateOnly)literal.Value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\'');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(literal), literal.Kind, "unknown literal kind");
        }
    }

    // A whole number in long's range would read back as an Integer, so it keeps a fraction to stay a Decimal.
    private static string DecimalText(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        if (value == 0m && text.StartsWith('-'))
        {
            text = text[1..];
        }
        if (!text.Contains('.', StringComparison.Ordinal) && value >= long.MinValue && value <= long.MaxValue)
        {
            text += ".0";
        }
        return text;
    }
}
