using System.Text;

namespace OpenData.Platform.Common;

/// <summary>
/// One CSV cell as every CSV answer of the platform writes it (records, exports, usage, audit): RFC 4180 quoting, and
/// text that a spreadsheet would run as a formula defused after OWASP's CSV-injection rule.
/// </summary>
internal static class CsvCell
{
    /// <summary>The query parameter that keeps CSV cells exactly as stored, formulas included.</summary>
    public const string RawParameter = "csv_raw";

    /// <summary>What the OpenAPI document says about CSV answers and <see cref="RawParameter"/>.</summary>
    public const string RawParameterDescription =
        "CSV answers defuse spreadsheet formulas (OWASP CSV injection): a text cell starting with =, +, -, @, tab or carriage "
        + "return gets a leading ' and is quoted, so Excel, LibreOffice and Google Sheets show it as text. Numbers from "
        + "integer and decimal columns are written as numbers (-5 stays -5). csv_raw=true keeps every cell exactly as stored "
        + "(for programs that read CSV, never for a spreadsheet); any other value than true or false is a 400.";

    /// <summary>
    /// The characters that make Excel, LibreOffice and Google Sheets read a cell as a formula (or, for tab and carriage
    /// return, hide one after leading whitespace).
    /// </summary>
    private const string FormulaStarts = "=+-@\t\r";

    /// <summary>
    /// True when a text cell would start a formula. Only text is judged: a number written from an integer or decimal
    /// column (<c>-5</c>) is data, and quoting it would turn it into text for every reader.
    /// </summary>
    public static bool StartsFormula(ReadOnlySpan<char> text) => text.Length > 0 && FormulaStarts.Contains(text[0]);

    /// <summary>
    /// The text as it goes into a cell: with a leading <c>'</c> when it would start a formula and <paramref name="defuse"/>
    /// is on. The quote is what spreadsheets take as "this is text"; the original is the cell without it.
    /// </summary>
    public static string Defused(string text, bool defuse) => defuse && StartsFormula(text) ? "'" + text : text;

    /// <summary>True when the cell must be quoted: RFC 4180's separators and quotes, and every defused cell, as OWASP advises.</summary>
    public static bool NeedsQuotes(ReadOnlySpan<char> cell) => cell.IndexOfAny(",\"\r\n") >= 0 || (cell.Length > 0 && cell[0] == '\'');

    /// <summary>Appends a text cell (null: an empty cell), defused when asked and quoted when needed.</summary>
    public static StringBuilder AppendText(StringBuilder line, string? text, bool defuse)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (text is null)
        {
            return line;
        }
        var cell = Defused(text, defuse);
        return NeedsQuotes(cell) ? line.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"') : line.Append(cell);
    }
}
