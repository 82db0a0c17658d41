using System.Globalization;

namespace OpenData.Sandbox.Twins;

/// <summary>
/// The coarse traits a personal column's twin follows, read the same way from real and twin values: a name's surname and length,
/// a mobile's carrier prefix, an ID card's area code and birth year, an address's division, a bank card's issuer and length, a
/// point's 0.01° grid cell, a credit code's area.
/// </summary>
internal static class TwinKeys
{
    public static void Observe(ColumnProfile profile, string value) => Add(profile.Model, value, profile.Primary, profile.Secondary, profile);

    public static void Add(TwinModel model, string value, Tally primary, Tally secondary, ColumnProfile? profile = null)
    {
        switch (model)
        {
            case TwinModel.Name:
                if (value.Length > 0 && ColumnProfile.IsHan(value[0]))
                {
                    primary.Add(value[0]);
                    secondary.Add(value.Length);
                }
                break;
            case TwinModel.Mobile:
            {
                Span<char> digits = stackalloc char[24];
                var n = Digits(value, digits);
                var d = digits[..n];
                if (n == 13 && d[0] == '8' && d[1] == '6')
                {
                    d = d[2..];
                }
                if (d.Length == 11 && d[0] == '1')
                {
                    primary.Add(((d[0] - '0') * 100) + ((d[1] - '0') * 10) + (d[2] - '0'));
                }
                break;
            }
            case TwinModel.IdCard:
                if (value.Length == 18 && int.TryParse(value.AsSpan(0, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var area)
                    && int.TryParse(value.AsSpan(6, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
                {
                    primary.Add(area);
                    secondary.Add(year);
                }
                break;
            case TwinModel.Address:
                if (DivisionTable.CodeOf(value) is { } code)
                {
                    primary.Add(long.Parse(code, CultureInfo.InvariantCulture));
                }
                break;
            case TwinModel.BankCard:
            {
                Span<char> digits = stackalloc char[24];
                var n = Digits(value, digits);
                if (n is >= 16 and <= 19)
                {
                    primary.Add(int.Parse(digits[..6], NumberStyles.None, CultureInfo.InvariantCulture));
                    secondary.Add(n);
                }
                break;
            }
            case TwinModel.Point:
                if (SyntheticValues.PointCell(value, out var decimals) is { } cell)
                {
                    primary.Add(cell);
                    profile?.SetPointDecimals(decimals);
                }
                break;
            case TwinModel.CreditCode:
                if (value.Length == 18 && int.TryParse(value.AsSpan(2, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var codeArea))
                {
                    primary.Add(codeArea);
                }
                break;
        }
    }

    /// <summary>What the report names the traits: "surname, length", "area code, birth year"…</summary>
    public static string? Describe(TwinModel model) => model switch
    {
        TwinModel.Name => "surname and length",
        TwinModel.Mobile => "carrier prefix",
        TwinModel.IdCard => "area code and birth year",
        TwinModel.Address => "division",
        TwinModel.BankCard => "issuer and length",
        TwinModel.Point => "0.01° grid cell",
        TwinModel.CreditCode => "area code",
        _ => null,
    };

    private static int Digits(string value, Span<char> digits)
    {
        var n = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == digits.Length)
                {
                    return 0;
                }
                digits[n++] = c;
            }
            else if (c is not (' ' or '-' or '+'))
            {
                return 0;
            }
        }
        return n;
    }
}
