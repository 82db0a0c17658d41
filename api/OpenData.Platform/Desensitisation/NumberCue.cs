namespace OpenData.Platform.Desensitisation;

/// <summary>The words just before a loosely checked number that say what it is: an order or ticket number (never personal), or a card.</summary>
internal static class NumberCue
{
    private const int Window = 12;

    private static readonly string[] OrderWords =
        ["订单", "单号", "流水", "编号", "批次", "批号", "票号", "运单", "工单", "序号", "代码", "编码", "券号", "交易号", "合同号", "文号", "许可证", "执照"];

    private static readonly string[] CardWords = ["卡", "账号", "帐号", "账户", "帐户", "card", "Card", "CARD"];

    /// <summary>True after an order-number word, or when the number is glued to letters (NB2025010100001, JY13302…): a code, not a person's number.</summary>
    public static bool IsOrderNumber(ReadOnlySpan<char> before) =>
        (before.Length > 0 && char.IsAsciiLetter(before[^1])) || ContainsAny(Tail(before), OrderWords);

    /// <summary>True after a card word (卡号, 银行卡, 账号, card).</summary>
    public static bool IsCard(ReadOnlySpan<char> before) => ContainsAny(Tail(before), CardWords);

    private static ReadOnlySpan<char> Tail(ReadOnlySpan<char> before) => before.Length <= Window ? before : before[^Window..];

    private static bool ContainsAny(ReadOnlySpan<char> text, string[] words)
    {
        if (text.IsEmpty)
        {
            // A number at the very start of its text (a code in its own cell, above all) has no word before it.
            return false;
        }
        foreach (var word in words)
        {
            if (word.Length <= text.Length && text.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
