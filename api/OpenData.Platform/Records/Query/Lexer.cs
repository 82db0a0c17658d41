using System.Buffers;
using System.Globalization;
using System.Text;

namespace OpenData.Platform.Records.Query;

/// <summary>
/// Reads query text one token at a time, so that the first mistake in reading order is the one reported.
/// A lexical mistake comes back as a <see cref="TokenKind.Error"/> token rather than an exception.
/// </summary>
internal sealed class Lexer(string text)
{
    private static readonly (string Word, TokenKind Kind)[] Keywords =
    [
        ("and", TokenKind.And),
        ("or", TokenKind.Or),
        ("not", TokenKind.Not),
        ("in", TokenKind.In),
        ("is", TokenKind.Is),
        ("null", TokenKind.Null),
        ("like", TokenKind.Like),
        ("between", TokenKind.Between),
        ("true", TokenKind.True),
        ("false", TokenKind.False),
        ("date", TokenKind.Date),
    ];

    private readonly string _text = text;
    private int _index;

    public Token Next()
    {
        while (_index < _text.Length && char.IsWhiteSpace(_text[_index]))
        {
            _index++;
        }
        if (_index >= _text.Length)
        {
            return new Token(TokenKind.End, "", _text.Length + 1);
        }

        var start = _index;
        var c = _text[_index];
        switch (c)
        {
            case '(':
                return Symbol(TokenKind.LParen, 1);
            case ')':
                return Symbol(TokenKind.RParen, 1);
            case ',':
                return Symbol(TokenKind.Comma, 1);
            case '=':
                return Symbol(TokenKind.Eq, 1);
            case '!' when At(start + 1) == '=':
                return Symbol(TokenKind.Ne, 2);
            case '<':
                return At(start + 1) switch
                {
                    '=' => Symbol(TokenKind.Le, 2),
                    '>' => Symbol(TokenKind.Ne, 2),
                    _ => Symbol(TokenKind.Lt, 1),
                };
            case '>':
                return At(start + 1) == '=' ? Symbol(TokenKind.Ge, 2) : Symbol(TokenKind.Gt, 1);
            case '\'':
                return ReadQuoted('\'', TokenKind.String, "string");
            case '"':
                return ReadQuoted('"', TokenKind.QuotedName, "quoted name");
            case '-' when char.IsAsciiDigit(At(start + 1)):
                return ReadNumber();
        }
        if (char.IsAsciiDigit(c))
        {
            return ReadNumber();
        }
        if (TryRune(_text, start, out var rune, out _) && IsNameStart(rune))
        {
            var end = SkipName(_text, start);
            var word = _text[start..end];
            _index = end;
            return new Token(KeywordKind(word) ?? TokenKind.Name, word, start + 1);
        }
        _index = _text.Length;
        return Error($"unexpected character {ShowCharacter(start)} at {start + 1}", start);
    }

    /// <summary>Whether <paramref name="name"/> can be written without double quotes.</summary>
    public static bool IsBareName(string name)
    {
        if (name.Length == 0 || KeywordKind(name) is not null)
        {
            return false;
        }
        return TryRune(name, 0, out var first, out _) && IsNameStart(first) && SkipName(name, 0) == name.Length;
    }

    public static TokenKind? KeywordKind(ReadOnlySpan<char> word)
    {
        foreach (var (keyword, kind) in Keywords)
        {
            if (Ascii.EqualsIgnoreCase(word, keyword))
            {
                return kind;
            }
        }
        return null;
    }

    private static bool IsNameStart(Rune rune) => rune.Value == '_' || Rune.IsLetter(rune);

    private static bool IsNameContinue(Rune rune) => rune.Value == '_' || Rune.IsLetter(rune) || Rune.IsNumber(rune);

    private char At(int index) => index < _text.Length ? _text[index] : '\0';

    private static bool TryRune(string text, int index, out Rune rune, out int length) =>
        Rune.DecodeFromUtf16(text.AsSpan(index), out rune, out length) == OperationStatus.Done;

    private static int SkipName(string text, int index)
    {
        while (index < text.Length && TryRune(text, index, out var rune, out var length) && IsNameContinue(rune))
        {
            index += length;
        }
        return index;
    }

    private Token Symbol(TokenKind kind, int length)
    {
        var token = new Token(kind, _text.Substring(_index, length), _index + 1);
        _index += length;
        return token;
    }

    private Token ReadQuoted(char quote, TokenKind kind, string what)
    {
        var start = _index;
        var content = new StringBuilder();
        var i = start + 1;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (c == quote)
            {
                if (At(i + 1) != quote)
                {
                    _index = i + 1;
                    if (kind == TokenKind.QuotedName && content.Length == 0)
                    {
                        return Error($"empty column name at {start + 1}", start);
                    }
                    return new Token(kind, content.ToString(), start + 1);
                }
                i++;
            }
            content.Append(c);
            i++;
        }
        _index = _text.Length;
        return Error($"unterminated {what} starting at {start + 1}", start);
    }

    private Token ReadNumber()
    {
        var start = _index;
        var i = start;
        if (_text[i] == '-')
        {
            i++;
        }
        i = SkipDigits(i);
        if (At(i) == '.' && char.IsAsciiDigit(At(i + 1)))
        {
            i = SkipDigits(i + 1);
        }
        if (At(i) is 'e' or 'E')
        {
            var digits = At(i + 1) is '+' or '-' ? i + 2 : i + 1;
            if (char.IsAsciiDigit(At(digits)))
            {
                i = SkipDigits(digits);
            }
        }
        if (At(i) == '.' || (i < _text.Length && TryRune(_text, i, out var rune, out _) && IsNameContinue(rune)))
        {
            while (true)
            {
                if (At(i) == '.')
                {
                    i++;
                }
                else if (i < _text.Length && TryRune(_text, i, out var next, out var length) && IsNameContinue(next))
                {
                    i += length;
                }
                else
                {
                    break;
                }
            }
            _index = _text.Length;
            return Error($"malformed number '{_text[start..i]}' at {start + 1}", start);
        }
        _index = i;
        return new Token(TokenKind.Number, _text[start..i], start + 1);
    }

    private int SkipDigits(int index)
    {
        while (char.IsAsciiDigit(At(index)))
        {
            index++;
        }
        return index;
    }

    private string ShowCharacter(int index)
    {
        if (!TryRune(_text, index, out var rune, out _))
        {
            return $"U+{(int)_text[index]:X4}";
        }
        var category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            ? $"U+{rune.Value:X4}"
            : $"'{rune}'";
    }

    private static Token Error(string message, int index) => new(TokenKind.Error, message, index + 1);
}
