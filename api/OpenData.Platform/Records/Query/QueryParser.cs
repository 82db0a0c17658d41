using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace OpenData.Platform.Records.Query;

/// <summary>Parses the <c>where</c>, <c>order_by</c> and <c>select</c> texts of a records query; it never throws on bad text.</summary>
internal static class QueryParser
{
    public const string SyntaxError = RecordsErrors.Syntax;
    public const string TooComplex = RecordsErrors.TooComplex;
    public const int MaxLength = 4096;
    public const int MaxDepth = 32;
    public const int MaxComparisons = 100;
    public const int MaxInValues = 1000;

    public static bool TryParseWhere(string text, [NotNullWhen(true)] out Expr? expr, [NotNullWhen(false)] out QueryError? error)
    {
        var parser = new Parser(text);
        expr = parser.Where();
        error = parser.Error;
        return expr is not null;
    }

    public static bool TryParseOrderBy(string text, out IReadOnlyList<OrderTerm> terms, [NotNullWhen(false)] out QueryError? error)
    {
        var parser = new Parser(text);
        var parsed = parser.OrderBy();
        terms = parsed ?? [];
        error = parser.Error;
        return parsed is not null;
    }

    public static bool TryParseSelect(string text, out IReadOnlyList<ColumnRef> columns, [NotNullWhen(false)] out QueryError? error)
    {
        var parser = new Parser(text);
        var parsed = parser.Select();
        columns = parsed ?? [];
        error = parser.Error;
        return parsed is not null;
    }

    /// <summary>
    /// A recursive-descent parser with one token of lookahead. Every rule returns null once <see cref="Error"/> is set;
    /// nesting is counted before each recursive step so that no input can exhaust the stack.
    /// </summary>
    private sealed class Parser
    {
        private readonly Lexer _lexer;
        private Token _current;
        private Token? _previous;
        private int _depth;
        private int _comparisons;

        public Parser(string? text)
        {
            text ??= "";
            _lexer = new Lexer(text);
            if (text.Length > MaxLength)
            {
                Error = new QueryError(TooComplex, $"the query is {text.Length} characters long; at most {MaxLength} are allowed", MaxLength + 1);
            }
            else
            {
                _current = _lexer.Next();
            }
        }

        public QueryError? Error { get; private set; }

        public Expr? Where()
        {
            if (Error is not null)
            {
                return null;
            }
            var expr = Or();
            return expr is null ? null : AtEnd(expr);
        }

        public List<OrderTerm>? OrderBy()
        {
            if (Error is not null)
            {
                return null;
            }
            var terms = new List<OrderTerm>();
            while (true)
            {
                var column = Column("a column name");
                if (column is null)
                {
                    return null;
                }
                var descending = false;
                var directionGiven = false;
                if (_current.Kind == TokenKind.Name && (IsWord(_current, "asc") || IsWord(_current, "desc")))
                {
                    descending = IsWord(_current, "desc");
                    directionGiven = true;
                    Advance();
                }
                terms.Add(new OrderTerm(column, descending));
                if (_current.Kind == TokenKind.Comma)
                {
                    Advance();
                    continue;
                }
                return _current.Kind == TokenKind.End
                    ? terms
                    : Expected<List<OrderTerm>>(directionGiven ? "',' or end of input" : "'asc', 'desc', ',' or end of input");
            }
        }

        public List<ColumnRef>? Select()
        {
            if (Error is not null)
            {
                return null;
            }
            var columns = new List<ColumnRef>();
            while (true)
            {
                var column = Column("a column name");
                if (column is null)
                {
                    return null;
                }
                columns.Add(column);
                if (_current.Kind == TokenKind.Comma)
                {
                    Advance();
                    continue;
                }
                return _current.Kind == TokenKind.End ? columns : Expected<List<ColumnRef>>("',' or end of input");
            }
        }

        private Expr? Or()
        {
            var left = And();
            while (left is not null && _current.Kind == TokenKind.Or)
            {
                Advance();
                var right = And();
                left = right is null ? null : new OrExpr(left, right);
            }
            return left;
        }

        private Expr? And()
        {
            var left = Factor();
            while (left is not null && _current.Kind == TokenKind.And)
            {
                Advance();
                var right = Factor();
                left = right is null ? null : new AndExpr(left, right);
            }
            return left;
        }

        private Expr? Factor()
        {
            switch (_current.Kind)
            {
                case TokenKind.Not:
                {
                    if (!Nest())
                    {
                        return null;
                    }
                    var at = _current.Position;
                    Advance();
                    var operand = Factor();
                    _depth--;
                    return operand is null ? null : new NotExpr(operand, at);
                }
                case TokenKind.LParen:
                {
                    if (!Nest())
                    {
                        return null;
                    }
                    var open = _current.Position;
                    Advance();
                    var inner = Or();
                    if (inner is null)
                    {
                        return null;
                    }
                    if (_current.Kind != TokenKind.RParen)
                    {
                        return Expected<Expr>("')'", context: $" to close the '(' at {open}");
                    }
                    Advance();
                    _depth--;
                    return inner;
                }
                default:
                    return Comparison();
            }
        }

        private bool Nest()
        {
            if (++_depth <= MaxDepth)
            {
                return true;
            }
            Error = new QueryError(TooComplex, $"the query nests parentheses and 'not' more than {MaxDepth} levels deep at {_current.Position}", _current.Position);
            return false;
        }

        private Expr? Comparison()
        {
            var column = Column("a condition");
            if (column is null)
            {
                return null;
            }
            if (++_comparisons > MaxComparisons)
            {
                Error = new QueryError(TooComplex, $"the query has more than {MaxComparisons} comparisons; the one at {column.Position} is over the limit", column.Position);
                return null;
            }
            var op = _current.Kind switch
            {
                TokenKind.Eq => CompareOp.Eq,
                TokenKind.Ne => CompareOp.Ne,
                TokenKind.Lt => CompareOp.Lt,
                TokenKind.Le => CompareOp.Le,
                TokenKind.Gt => CompareOp.Gt,
                TokenKind.Ge => CompareOp.Ge,
                _ => (CompareOp?)null,
            };
            if (op is not null)
            {
                Advance();
                var value = Value();
                return value is null ? null : new CompareExpr(column, op.Value, value);
            }
            switch (_current.Kind)
            {
                case TokenKind.In:
                    return In(column);
                case TokenKind.Is:
                {
                    Advance();
                    var negated = _current.Kind == TokenKind.Not;
                    if (negated)
                    {
                        Advance();
                    }
                    if (_current.Kind != TokenKind.Null)
                    {
                        return Expected<Expr>(negated ? "'null'" : "'null' or 'not null'");
                    }
                    Advance();
                    return new IsNullExpr(column, negated);
                }
                case TokenKind.Like:
                {
                    Advance();
                    if (_current.Kind != TokenKind.String)
                    {
                        return Expected<Expr>("a quoted pattern such as 'abc%'");
                    }
                    var pattern = new Literal(LiteralKind.String, _current.Text, _current.Position);
                    Advance();
                    return new LikeExpr(column, pattern);
                }
                case TokenKind.Between:
                {
                    Advance();
                    var low = Value();
                    if (low is null)
                    {
                        return null;
                    }
                    if (_current.Kind != TokenKind.And)
                    {
                        return Expected<Expr>("'and'");
                    }
                    Advance();
                    var high = Value();
                    return high is null ? null : new BetweenExpr(column, low, high);
                }
                case TokenKind.Not:
                    return Expected<Expr>("an operator", $" (to negate, put 'not' before the column: not {_previous?.Describe().Trim('\'')} …)");
                default:
                    return Expected<Expr>("an operator (=, !=, <, <=, >, >=, in, is, like or between)");
            }
        }

        private InExpr? In(ColumnRef column)
        {
            Advance();
            if (_current.Kind != TokenKind.LParen)
            {
                return Expected<InExpr>("'('");
            }
            Advance();
            var values = new List<Literal>();
            while (true)
            {
                if (values.Count == MaxInValues)
                {
                    Error = new QueryError(TooComplex, $"an 'in' list may hold at most {MaxInValues} values; the one at {_current.Position} is over the limit", _current.Position);
                    return null;
                }
                var value = Value();
                if (value is null)
                {
                    return null;
                }
                values.Add(value);
                if (_current.Kind == TokenKind.Comma)
                {
                    Advance();
                    continue;
                }
                if (_current.Kind != TokenKind.RParen)
                {
                    return Expected<InExpr>("',' or ')'");
                }
                Advance();
                return new InExpr(column, values);
            }
        }

        private Literal? Value()
        {
            var token = _current;
            switch (token.Kind)
            {
                case TokenKind.String:
                    Advance();
                    return new Literal(LiteralKind.String, token.Text, token.Position);
                case TokenKind.True or TokenKind.False:
                    Advance();
                    return new Literal(LiteralKind.Boolean, token.Kind == TokenKind.True, token.Position);
                case TokenKind.Number:
                    return Number(token);
                case TokenKind.Date:
                {
                    Advance();
                    if (_current.Kind != TokenKind.String)
                    {
                        return Expected<Literal>("a quoted date such as '2024-05-01'");
                    }
                    if (!DateOnly.TryParseExact(_current.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        return Fail<Literal>(SyntaxError, $"{_current.Describe()} is not a valid date at {_current.Position}; write date'YYYY-MM-DD'", _current.Position);
                    }
                    Advance();
                    return new Literal(LiteralKind.Date, date, token.Position);
                }
                case TokenKind.Null:
                    return Expected<Literal>("a value", " (to test for a missing value, write 'is null' or 'is not null')");
                default:
                    return Expected<Literal>("a value");
            }
        }

        private Literal? Number(Token token)
        {
            var text = token.Text;
            if (text.AsSpan().IndexOfAny('.', 'e', 'E') < 0
                && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                Advance();
                return new Literal(LiteralKind.Integer, integer, token.Position);
            }
            var style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
            if (decimal.TryParse(text, style, CultureInfo.InvariantCulture, out var number))
            {
                Advance();
                return new Literal(LiteralKind.Decimal, number, token.Position);
            }
            return Fail<Literal>(SyntaxError, $"the number {token.Describe()} at {token.Position} is too large", token.Position);
        }

        private ColumnRef? Column(string what)
        {
            switch (_current.Kind)
            {
                // 'date' only starts a literal in value position; where a column is expected it is the column "date".
                case TokenKind.Name or TokenKind.QuotedName or TokenKind.Date:
                {
                    var column = new ColumnRef(_current.Text, _current.Position, _current.Kind == TokenKind.QuotedName);
                    Advance();
                    return column;
                }
                case TokenKind.In or TokenKind.Is or TokenKind.Null or TokenKind.Like or TokenKind.Between
                    or TokenKind.True or TokenKind.False:
                {
                    var word = _current.Text.Replace("\"", "\"\"", StringComparison.Ordinal);
                    return Expected<ColumnRef>(what, $" ('{_current.Text}' is a keyword; write \"{word}\" to use it as a column name)");
                }
                default:
                    return Expected<ColumnRef>(what);
            }
        }

        private Expr? AtEnd(Expr expr)
        {
            if (_current.Kind == TokenKind.End)
            {
                return expr;
            }
            if (_current.Kind == TokenKind.Error)
            {
                return Fail<Expr>(SyntaxError, _current.Text, _current.Position);
            }
            return Fail<Expr>(SyntaxError, $"unexpected {_current.Describe()} at {_current.Position}", _current.Position);
        }

        private T? Expected<T>(string what, string hint = "", string context = "")
            where T : class
        {
            if (_current.Kind == TokenKind.Error)
            {
                return Fail<T>(SyntaxError, _current.Text, _current.Position);
            }
            var after = _previous is { } previous ? $" after {previous.Describe()}" : "";
            return Fail<T>(SyntaxError, $"expected {what}{after} at {_current.Position}{context}, found {_current.Describe()}{hint}", _current.Position);
        }

        private T? Fail<T>(string code, string message, int position)
            where T : class
        {
            Error = new QueryError(code, message, position);
            return null;
        }

        private void Advance()
        {
            _previous = _current;
            _current = _lexer.Next();
        }

        private static bool IsWord(Token token, string word) => Ascii.EqualsIgnoreCase(token.Text, word);
    }
}
