using System.Globalization;
using System.Text;
using Dapper;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Desensitisation.Transforms;
using OpenData.Platform.Records.Query;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Records;

/// <summary>
/// Compiles a parsed <c>where</c> tree to SQL for one dialect, against the dataset's declared columns only.
/// Column names become physical names (<c>c0</c>, <c>c1</c>…) and every value becomes a parameter.
/// </summary>
internal sealed class FilterCompiler
{
    private readonly DatasetSchema _dataset;
    private readonly CallerView _view;
    private readonly SqlDialect _dialect;
    private readonly DynamicParameters _parameters;
    private int _next;

    public FilterCompiler(DatasetSchema dataset, CallerView view, SqlDialect dialect, DynamicParameters parameters)
    {
        _dataset = dataset;
        _view = view;
        _dialect = dialect;
        _parameters = parameters;
    }

    /// <summary>Names of parameters bound so far.</summary>
    public int ParameterCount => _next;

    public string Bind(ColumnType type, object value)
    {
        var name = "p" + _next.ToString(CultureInfo.InvariantCulture);
        _next++;
        _parameters.Add(name, _dialect.ToParameter(type, value));
        return "@" + name;
    }

    /// <summary>Compiles <paramref name="expr"/>; a problem names the column or value and its 1-based position.</summary>
    public bool TryCompile(Expr expr, StringBuilder sql, out Refusal? problem)
    {
        problem = null;
        try
        {
            Append(expr, sql);
            return true;
        }
        catch (FilterException e)
        {
            problem = e.Problem;
            return false;
        }
    }

    private void Append(Expr expr, StringBuilder sql)
    {
        switch (expr)
        {
            case OrExpr or:
                sql.Append('(');
                Append(or.Left, sql);
                sql.Append(" OR ");
                Append(or.Right, sql);
                sql.Append(')');
                break;
            case AndExpr and:
                sql.Append('(');
                Append(and.Left, sql);
                sql.Append(" AND ");
                Append(and.Right, sql);
                sql.Append(')');
                break;
            case NotExpr not:
                sql.Append("(NOT ");
                Append(not.Operand, sql);
                sql.Append(')');
                break;
            case CompareExpr cmp:
            {
                var column = Resolve(cmp.Column, equality: cmp.Op == CompareOp.Eq);
                var operand = Operand(column, cmp.Value);
                if (column.Type == ColumnType.Integer && operand is decimal number)
                {
                    operand = Whole(number, cmp.Op);
                }
                sql.Append(column.PhysicalName).Append(cmp.Op switch
                {
                    CompareOp.Eq => " = ",
                    CompareOp.Ne => " <> ",
                    CompareOp.Lt => " < ",
                    CompareOp.Le => " <= ",
                    CompareOp.Gt => " > ",
                    _ => " >= ",
                }).Append(Bind(column.Type, operand));
                break;
            }
            case InExpr @in:
            {
                var column = Resolve(@in.Column, equality: true);
                var operands = @in.Values.Select(v => Operand(column, v)).ToList();
                if (column.Type == ColumnType.Integer)
                {
                    // A fraction equals no integer: dropping it changes no row's answer, and the whole numbers bind as integers.
                    var whole = operands.Select(o => o is decimal m ? Whole(m, CompareOp.Eq) : o).Where(o => o is not decimal m || m == Math.Truncate(m)).ToList();
                    if (whole.Count > 0)
                    {
                        operands = whole;
                    }
                }
                sql.Append(column.PhysicalName).Append(" IN (");
                for (var i = 0; i < operands.Count; i++)
                {
                    sql.Append(i == 0 ? "" : ", ").Append(Bind(column.Type, operands[i]));
                }
                sql.Append(')');
                break;
            }
            case IsNullExpr isNull:
            {
                var column = Resolve(isNull.Column, equality: false);
                sql.Append(column.PhysicalName).Append(isNull.Negated ? " IS NOT NULL" : " IS NULL");
                break;
            }
            case LikeExpr like:
            {
                var column = Resolve(like.Column, equality: false);
                if (column.Type != ColumnType.String || like.Pattern.Kind != LiteralKind.String)
                {
                    throw Mismatch($"'like' compares text: column '{column.Name}' is {ColumnTypes.Name(column.Type)}; use =, <, > or between", like.Pattern.Position);
                }
                var name = "p" + _next.ToString(CultureInfo.InvariantCulture);
                _next++;
                sql.Append(_dialect.Like(column.PhysicalName, "@" + name, (string)like.Pattern.Value, out var bound));
                _parameters.Add(name, bound);
                break;
            }
            case BetweenExpr between:
            {
                var column = Resolve(between.Column, equality: false);
                var low = Value(column, between.Low);
                var high = Value(column, between.High);
                if (column.Type == ColumnType.Integer)
                {
                    low = low is decimal l ? Whole(l, CompareOp.Ge) : low;
                    high = high is decimal h ? Whole(h, CompareOp.Le) : high;
                }
                sql.Append(column.PhysicalName).Append(" BETWEEN ")
                    .Append(Bind(column.Type, low))
                    .Append(" AND ")
                    .Append(Bind(column.Type, high));
                break;
            }
            default:
                throw new FilterException(Refusal.BadRequest(RecordsErrors.Syntax, "unsupported expression", expr.Position));
        }
    }

    private ColumnDefinition Resolve(ColumnRef reference, bool equality)
    {
        var column = _dataset.FindColumn(reference.Name)
            ?? throw new FilterException(ColumnNames.Unknown(_dataset, reference.Name, reference.Position));
        if (_view.CanFilterOn(column) || (equality && _view.VisibilityOf(column) == ColumnVisibility.Pseudonymised))
        {
            return column;
        }
        throw new FilterException(Refusal.BadRequest(RecordsErrors.ColumnNotFilterable,
            $"column '{column.Name}' is {_view.WhyNotFilterable(column)} and cannot be filtered on (at {reference.Position})", reference.Position));
    }

    /// <summary>
    /// The value to bind for a comparison: on a pseudonymised column only a token issued to the caller for this column (its
    /// tenant and dataset, or a linkage domain its grant approves) is accepted, and it is compared by the value behind it, so
    /// a raw value can never be probed through the filter and another dataset's token finds nothing here.
    /// </summary>
    private object Operand(ColumnDefinition column, Literal literal)
    {
        if (_view.VisibilityOf(column) != ColumnVisibility.Pseudonymised)
        {
            return Value(column, literal);
        }
        var revealed = "";
        var reveal = literal.Kind == LiteralKind.String ? _view.Reveal(column, (string)literal.Value, out revealed) : TokenReveal.Refused;
        return reveal switch
        {
            TokenReveal.Revealed => Value(column, new Literal(LiteralKind.String, revealed, literal.Position)),
            TokenReveal.TooLong => throw new FilterException(Refusal.BadRequest(RecordsErrors.TokenTooLong,
                $"column '{column.Name}': the value behind this token is longer than its tokens carry, so no filter can find it (at {literal.Position})", literal.Position)),
            _ => throw new FilterException(Refusal.BadRequest(RecordsErrors.InvalidToken,
                $"column '{column.Name}' is pseudonymised for this caller: compare it with a token (pt_…) taken from this tenant's own answers for this dataset (at {literal.Position})", literal.Position)),
        };
    }

    /// <summary>
    /// What to compare an integer column with instead of the number <paramref name="value"/> under <paramref name="op"/>: the
    /// whole number that selects the same rows (the number itself when whole; for a fraction the ceiling under <c>&lt;</c> and
    /// <c>&gt;=</c>, the floor under <c>&lt;=</c> and <c>&gt;</c>). A bigint column compared with a numeric parameter is cast row by
    /// row on PostgreSQL, so no index on it could serve the filter; bound as an integer it can. A fraction under <c>=</c> or
    /// <c>!=</c>, or a number beyond the integers, stays as it is: the answer is the same either way.
    /// </summary>
    private static object Whole(decimal value, CompareOp op) => WholeBound(value, op) is { } whole ? (object)whole : value;

    private static long? WholeBound(decimal value, CompareOp op)
    {
        var whole = value == Math.Truncate(value);
        if (!whole && op is CompareOp.Eq or CompareOp.Ne)
        {
            return null;
        }
        var bound = whole ? value : op is CompareOp.Lt or CompareOp.Ge ? Math.Ceiling(value) : Math.Floor(value);
        return bound >= long.MinValue && bound <= long.MaxValue ? (long)bound : null;
    }

    /// <summary>Checks a literal against the column's declared type and converts it to the value to bind.</summary>
    private static object Value(ColumnDefinition column, Literal literal)
    {
        switch (column.Type)
        {
            case ColumnType.String when literal.Kind == LiteralKind.String:
                return literal.Value;
            case ColumnType.Integer when literal.Kind == LiteralKind.Integer:
            case ColumnType.Decimal when literal.Kind == LiteralKind.Decimal:
                return literal.Value;
            case ColumnType.Integer when literal.Kind == LiteralKind.Decimal:
                return literal.Value;
            case ColumnType.Decimal when literal.Kind == LiteralKind.Integer:
                return (decimal)(long)literal.Value;
            case ColumnType.Boolean when literal.Kind == LiteralKind.Boolean:
                return literal.Value;
            case ColumnType.Date when literal.Kind == LiteralKind.Date:
                return literal.Value;
            case ColumnType.Date when literal.Kind == LiteralKind.String
                && DateOnly.TryParseExact((string)literal.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date):
                return date;
            case ColumnType.Datetime when literal.Kind == LiteralKind.Date:
                return ((DateOnly)literal.Value).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            case ColumnType.Datetime when literal.Kind == LiteralKind.String
                && DateTimeOffset.TryParse((string)literal.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant):
                return instant.UtcDateTime;
            default:
                throw Mismatch($"column '{column.Name}' is {ColumnTypes.Name(column.Type)}: compare it with {Example(column.Type)}, not {Describe(literal)}", literal.Position);
        }
    }

    private static string Example(ColumnType type) => type switch
    {
        ColumnType.String => "a quoted text such as 'abc'",
        ColumnType.Integer => "a number such as 42",
        ColumnType.Decimal => "a number such as 3.14",
        ColumnType.Boolean => "true or false",
        ColumnType.Date => "a date such as date'2024-05-01'",
        _ => "a quoted ISO instant such as '2024-05-01T08:00:00Z'",
    };

    private static string Describe(Literal literal) => literal.Kind switch
    {
        LiteralKind.String => "a text",
        LiteralKind.Integer or LiteralKind.Decimal => "a number",
        LiteralKind.Boolean => "a boolean",
        _ => "a date",
    };

    private static FilterException Mismatch(string message, int position) =>
        new(Refusal.BadRequest(RecordsErrors.TypeMismatch, $"{message} (at {position})", position));

    private sealed class FilterException(Refusal problem) : Exception(problem.Detail)
    {
        public Refusal Problem { get; } = problem;
    }
}
