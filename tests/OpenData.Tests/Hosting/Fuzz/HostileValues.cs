using System.Text;
using CsCheck;
using OpenData.Tests.Records.Query;

namespace OpenData.Tests.Hosting.Fuzz;

/// <summary>
/// Values a hostile or careless client puts in a parameter, already percent-encoded for a URL: edge numbers and dates,
/// unicode and control characters, SQL and query-language fragments, long strings, and byte sequences no UTF-8 decoder
/// accepts (a lone surrogate, a NUL).
/// </summary>
public static class HostileValues
{
    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "9999999999", "99999999999999999999999999999999999999", "1e308", "1e309", "-1e309", "NaN", "Infinity", "-Infinity",
        "0x10", "1_000", "1,5", "1.5", "+1", "00000000001", "１２３", "١٢٣", "1 ", " 1", "true", "false", "TRUE", "yes", "null",
    ];

    private static readonly string[] Dates =
    [
        "0001-01-01", "9999-12-31", "0000-01-01", "10000-01-01", "2026-02-30", "2026-13-01", "2026-00-10", "2026-1-1",
        "2026-01-01T00:00:00Z", "2026-01-01T00:00:00+14:00", "2026-01-01T00:00:00-12:00", "2026-01-01T24:00:00",
        "0001-01-01T00:00:00-01:00", "9999-12-31T23:59:59+00:00", "9999-12-31T23:59:59-14:00", "２０２６-01-01", "2026‐01‐01",
        "2026-01-01\u0000", "-2026-01-01", "1/2/2026", "today", "",
    ];

    private static readonly string[] Fragments =
    [
        "'", "''", "\"", "\\", "' OR '1'='1", "1; DROP TABLE datasets; --", "/*", "*/", "--", "%", "_", "$1", "?", "@p0",
        "name = 'x'", "aqi > 99999999999999999999", "date between date'0001-01-01' and date'9999-12-31'", "name like '%'",
        "((((((((((((((((((((((((((((((((x", "not not not not not", "x in ()", "a,b,c,,,", "-name", "name desc desc",
        "{", "}", "[]", "{\"a\":1}", "${jndi:ldap://x}", "{{7*7}}", "<script>alert(1)</script>", "../../etc/passwd",
        "..%2f..%2f", "CON", "*", "**", "=SUM(A1)", "+1", "@cmd", "__typename", "{ datasets { items { id } } }",
    ];

    private static readonly string[] Unicode =
    [
        "名称", "宁波", "é", "e\u0301", "\u00a0", "\u3000", "\u200b", "\u200e", "\u202e", "\ufeff", "\uffff", "😀", "🏳️‍🌈",
        "\u0130", "ß", "Ⅻ", "ｎａｍｅ", "\t", "\r\n", "\u001b[31m", "\u0007", "\u007f", "\u0085", "\u2028",
    ];

    // Sent as they are: bytes that are not UTF-8 (a lone surrogate, an overlong dot), a NUL, broken escapes.
    private static readonly string[] RawEncoded =
    [
        "%00", "a%00b", "%ED%A0%80", "%ED%BF%BF", "%C0%AE", "%FF", "%FE%FF", "%F4%90%80%80", "%E4%B8", "%", "%%", "%zz", "%2",
        "%u4e2d", "%25%30%30", "%0d%0aX-Injected:%201", "%2F", "%5C", "%3B", "%26", "%3D", "%23", "+", "%2B",
    ];

    /// <summary>Any hostile value, percent-encoded for a query string or a path segment.</summary>
    public static Gen<string> Encoded { get; } = Gen.Frequency(
        (3, Gen.OneOf(Numbers.Select(Gen.Const).ToArray()).Select(Encode)),
        (3, Gen.OneOf(Dates.Select(Gen.Const).ToArray()).Select(Encode)),
        (3, Gen.OneOf(Fragments.Select(Gen.Const).ToArray()).Select(Encode)),
        (2, Gen.OneOf(Unicode.Select(Gen.Const).ToArray()).Select(Encode)),
        (3, Gen.OneOf(RawEncoded.Select(Gen.Const).ToArray())),
        (2, QueryGen.QueryText.Select(Encode)),
        (2, Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (2, Gen.Char.Array[0, 16].Select(c => Encode(new string(c)))),
        (1, Gen.Int[1000, 9000].Select(n => new string('a', n))),
        (1, Gen.Int[200, 2000].Select(n => string.Concat(Enumerable.Repeat("%E4%B8%AD", n)))));

    /// <summary>A hostile value as a JSON string's text (unencoded).</summary>
    public static Gen<string> Text { get; } = Gen.Frequency(
        (3, Gen.OneOf(Numbers.Concat(Dates).Concat(Fragments).Concat(Unicode).Select(Gen.Const).ToArray())),
        (2, Gen.Char.Array[0, 24].Select(c => new string(c))),
        (1, Gen.OneOf(Gen.Const("\u0000"), Gen.Const("a\u0000b"), Gen.Const("\ud800"), Gen.Const("\udfff x"))),
        (1, Gen.Int[1000, 70000].Select(n => new string('x', n))));

    /// <summary>
    /// Percent-encodes every character outside the unreserved set as UTF-8; an unpaired surrogate is encoded as the three
    /// bytes a careless encoder writes for it (which no UTF-8 decoder accepts), not silently replaced.
    /// </summary>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length * 3);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                text.Append(c);
                continue;
            }
            int codePoint = c;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, value[++i]);
            }
            foreach (var b in Utf8(codePoint))
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }

    // WTF-8: surrogates encoded as if they were characters.
    private static byte[] Utf8(int codePoint) => codePoint switch
    {
        < 0x80 => [(byte)codePoint],
        < 0x800 => [(byte)(0xC0 | (codePoint >> 6)), (byte)(0x80 | (codePoint & 0x3F))],
        < 0x10000 => [(byte)(0xE0 | (codePoint >> 12)), (byte)(0x80 | ((codePoint >> 6) & 0x3F)), (byte)(0x80 | (codePoint & 0x3F))],
        _ => [(byte)(0xF0 | (codePoint >> 18)), (byte)(0x80 | ((codePoint >> 12) & 0x3F)), (byte)(0x80 | ((codePoint >> 6) & 0x3F)), (byte)(0x80 | (codePoint & 0x3F))],
    };
}
