namespace OpenData.Sandbox.Twins;

/// <summary>
/// The unified social credit code of an organisation (统一社会信用代码, GB 32100-2015): 18 characters — registering authority,
/// kind, six-digit area code, nine-character organisation code (GB 11714, with its own check) and a check character modulo 31.
/// </summary>
internal static class CreditCode
{
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static readonly int[] OrganisationWeights = [3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>The check character completing 17 characters of the code's alphabet.</summary>
    public static char Check(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += Alphabet.IndexOf(first17[i], StringComparison.Ordinal) * Weights[i];
        }
        var check = 31 - (sum % 31);
        return Alphabet[check == 31 ? 0 : check];
    }

    /// <summary>The check character (0–9 or X) of an eight-character organisation code body (GB 11714).</summary>
    public static char OrganisationCheck(ReadOnlySpan<char> body8)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            var c = body8[i];
            sum += (c <= '9' ? c - '0' : c - 'A' + 10) * OrganisationWeights[i];
        }
        var check = 11 - (sum % 11);
        return check switch { 10 => 'X', 11 => '0', _ => (char)('0' + check) };
    }

    /// <summary>A code for an enterprise (9 1) registered in <paramref name="areaCode"/> whose organisation code starts with <paramref name="body8"/>.</summary>
    public static string Make(string areaCode, string body8)
    {
        var first17 = "91" + areaCode + body8 + OrganisationCheck(body8);
        return first17 + Check(first17);
    }

    public static bool IsValid(ReadOnlySpan<char> code)
    {
        if (code.Length != 18)
        {
            return false;
        }
        foreach (var c in code)
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return Check(code[..17]) == code[17];
    }
}
