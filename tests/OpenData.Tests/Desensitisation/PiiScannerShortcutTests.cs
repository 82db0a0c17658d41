using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;

namespace OpenData.Tests.Desensitisation;

/// <summary>
/// The scanner's shortcut for texts of ASCII digits only must find exactly what the whole scan finds (the same kinds, offsets and
/// masks), for every kind of number and for codes that only look like one.
/// </summary>
public class PiiScannerShortcutTests
{
    private static readonly string[] Crafted =
    [
        "13812345678", "013812345678", "8613812345678", "008613812345678", "12345678901", "19912345678", "10012345678",
        "330203198001011234", "33020319800101123", "330203800101123", "110101199003077777", "11010119900307777", "11010119900307",
        "6222021234567890123", "6222021234567890", "4111111111111111", "5500005555555559", "62220212345678901234",
        "02112345678", "057487654321", "05748765432", "0574876543210", "075512345678", "8765432", "87654321",
        "110101001001", "330203001001", "130102001", "13", "1301", "130102", "0", "00000000000", "99999999999999999999999999",
        "1", "12", "123456789012345678901234567890123456789012345678901234567890",
    ];

    public static TheoryData<string> Texts()
    {
        var data = new TheoryData<string>();
        foreach (var text in Crafted)
        {
            data.Add(text);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_digit_string_is_found_as_the_whole_scan_finds_it(string text)
    {
        foreach (var whole in new[] { false, true })
        {
            Assert.Equal(Scan(text, whole, shortcut: false), Scan(text, whole, shortcut: true));
        }
    }

    [Fact]
    public void Random_digit_strings_of_every_length_are_found_as_the_whole_scan_finds_them()
    {
        var random = new Random(20261205);
        var found = 0;
        for (var i = 0; i < 40_000; i++)
        {
            var length = 1 + (i % 24);
            var digits = new char[length];
            for (var k = 0; k < length; k++)
            {
                digits[k] = (char)('0' + random.Next(10));
            }
            // Every third one starts like a mobile, so the kinds that need a real prefix are tried often too.
            if (i % 3 == 0 && length >= 3)
            {
                digits[0] = '1';
                digits[1] = (char)('3' + random.Next(7));
            }
            var text = new string(digits);
            var full = Scan(text, whole: false, shortcut: false);
            Assert.Equal(full, Scan(text, whole: false, shortcut: true));
            found += full.Count;
        }
        Assert.True(found > 300, $"only {found} numbers were found: the comparison hardly tried a hit");
    }

    [Fact]
    public void A_text_with_anything_but_ascii_digits_takes_the_whole_scan()
    {
        // A full-width digit, a separator, a letter: not the shortcut's texts, and the whole scan finds the mobile.
        foreach (var text in new[] { "１3812345678", "138 1234 5678", "138-1234-5678", "tel13812345678" })
        {
            Assert.Equal(PiiKind.Mobile, Assert.Single(Scan(text, whole: false, shortcut: true)).Kind);
        }
    }

    private static List<PiiHit> Scan(string text, bool whole, bool shortcut)
    {
        var hits = new List<PiiHit>();
        PiiScanner.Scan(text, hits, whole, shortcut);
        return hits;
    }
}
