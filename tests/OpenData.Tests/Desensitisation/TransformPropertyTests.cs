using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Desensitisation.Transforms;
using OpenData.Platform.Identity;

namespace OpenData.Tests.Desensitisation;

public partial class TransformPropertyTests
{
    private const string Base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    // One text element each: ASCII (never '*', so a masked character is always told apart), CJK in the BMP, and CJK
    // Extension B outside it (a surrogate pair such as 𠀀).
    private static readonly Gen<string> Element = Gen.Frequency(
        (4, Gen.Char["abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 .-@_#"].Select(c => c.ToString())),
        (4, Gen.Char['\u4E00', '\u9FA5'].Select(c => c.ToString())),
        (2, Gen.Int[0x20000, 0x2A6DF].Select(char.ConvertFromUtf32)));

    private static readonly Gen<string[]> Elements = Element.Array[0, 40];

    private static readonly Gen<string> Text = Gen.Frequency(
        (8, Element.Array[0, 30].Select(string.Concat)),
        (1, Gen.Const("")),
        (1, Element.Array[0, 2000].Select(string.Concat)));

    private static readonly Gen<byte[]> TenantKey = Gen.Byte.Array[64];

    // ---- Masking ----------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("王小明", 1, 0, "王**")]
    [InlineData("王伟", 1, 0, "王**")]
    [InlineData("欧阳娜娜", 1, 0, "欧**")]
    [InlineData("13812345678", 3, 4, "138****5678")]
    [InlineData("12345", 3, 4, "12*********")]
    [InlineData("6222021234567890123", 0, 4, "****0123")]
    [InlineData("6222021234560123", 0, 4, "****0123")]
    [InlineData("𠀀𠀁𠀂", 1, 0, "𠀀**")]
    [InlineData("王𠀀明", 0, 1, "**明")]
    [InlineData("a", 1, 1, "****")]
    [InlineData("", 3, 4, "")]
    public void Mask_examples(string value, int keepFirst, int keepLast, string expected) =>
        Assert.Equal(expected, Masking.Mask(value, keepFirst, keepLast));

    [Theory]
    [InlineData("王小明", 1, 0, 3, "王***")]
    [InlineData("王", 1, 0, 3, "****")]
    [InlineData("13812345678", 3, 4, 1, "138*5678")]
    public void Mask_takes_the_run_of_stars_it_is_given(string value, int keepFirst, int keepLast, int stars, string expected) =>
        Assert.Equal(expected, Masking.Mask(value, keepFirst, keepLast, stars));

    [Fact]
    public void Mask_has_one_shape_per_spec_whatever_the_value_and_shows_only_the_documented_characters()
    {
        Gen.Select(Elements, Gen.Int[0, 8], Gen.Int[0, 8], Gen.Int[0, 6].Select(x => x == 0 ? (int?)null : x), (e, f, l, s) => (e, f, l, s)).Sample(c =>
        {
            var (elements, keepFirst, keepLast, stars) = c;
            var value = string.Concat(elements);
            var masked = Masking.Mask(value, keepFirst, keepLast, stars);
            var n = elements.Length;
            var output = TextElements(masked);
            var run = stars ?? Masking.DefaultStars(keepFirst, keepLast);
            if (n == 0)
            {
                Assert.Equal("", masked);
                return;
            }
            // The length never shows: every non-empty value gives keepFirst + stars + keepLast elements.
            Assert.Equal(keepFirst + run + keepLast, output.Length);

            // Keep what was asked when it leaves something hidden, otherwise at most half, the start first; * everywhere else.
            var (first, last) = keepFirst + keepLast < n ? (keepFirst, keepLast) : (Math.Min(keepFirst, n / 2), Math.Min(keepLast, (n / 2) - Math.Min(keepFirst, n / 2)));
            for (var i = 0; i < output.Length; i++)
            {
                var expected = i < first ? elements[i] : i >= output.Length - last ? elements[n - (output.Length - i)] : "*";
                Assert.Equal(expected, output[i]);
            }
            var shown = output.Count(e => e != "*");
            Assert.True(shown <= keepFirst + keepLast);
            Assert.True(shown < n, "something stays hidden");
            if (keepFirst + keepLast >= n)
            {
                Assert.True(shown <= n / 2, $"at most half of a short value shows: {masked}");
            }
        }, iter: 2000);
    }

    [Fact]
    public void Masks_of_values_of_different_lengths_cannot_be_told_apart_by_length()
    {
        Gen.Select(Elements, Elements, Gen.Int[0, 4], Gen.Int[0, 4], (a, b, f, l) => (a, b, f, l)).Sample(c =>
        {
            if (c.a.Length == 0 || c.b.Length == 0)
            {
                return;
            }
            Assert.Equal(TextElements(Masking.Mask(string.Concat(c.a), c.f, c.l)).Length, TextElements(Masking.Mask(string.Concat(c.b), c.f, c.l)).Length);
            var email = Masking.MaskEmail(string.Concat(c.a) + "@example.org");
            Assert.Equal(4, TextElements(email[..email.LastIndexOf('@')]).Length);
            Assert.EndsWith("***@example.org", email, StringComparison.Ordinal);
        }, iter: 1000);
    }

    [Fact]
    public void Mask_counts_a_surrogate_pair_once()
    {
        Assert.Equal("𠀀***", Masking.Mask("𠀀𠀁", 1, 1));
        Assert.Equal("*****𠀂", Masking.Mask("𠀀a𠀂", 0, 1, 5));
        var masked = Masking.Mask("张𠀀𠀁𠀂𠀃", 1, 1);
        Assert.Equal("张**𠀃", masked);
        Assert.DoesNotContain("𠀁", masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wang.wei@example.org", "w***@example.org")]
    [InlineData("wa@example.org", "w***@example.org")]
    [InlineData("a@b.cn", "****@b.cn")]
    [InlineData("no-at-sign", "n***")]
    [InlineData("@example.org", "@***")]
    public void MaskEmail_examples(string value, string expected) =>
        Assert.Equal(expected, Masking.MaskEmail(value));

    // ---- Pseudonymiser ----------------------------------------------------------------------------------------------

    [Fact]
    public void A_token_reveals_to_its_value_for_its_key_only_and_is_stable()
    {
        Gen.Select(TenantKey, TenantKey, Text, (a, b, t) => (a, b, t)).Sample(c =>
        {
            var (keyA, keyB, value) = c;
            using var a = new Pseudonymiser(keyA);
            using var b = new Pseudonymiser(keyB);
            var token = a.Protect(value);
            AssertTokenShape(token);
            Assert.Equal(a.TokenLength, token.Length);
            Assert.Equal(token, a.Protect(value));
            using (var again = new Pseudonymiser(keyA))
            {
                Assert.Equal(token, again.Protect(value));
            }
            if (Encoding.UTF8.GetByteCount(value) <= a.Capacity)
            {
                Assert.True(a.TryReveal(token, out var revealed), $"a token of {value.Length} characters did not reveal");
                Assert.Equal(value, revealed);
            }
            else
            {
                // Too long to carry: the token is genuine (and recognised as such) but gives nothing back.
                Assert.Equal(TokenReveal.TooLong, a.Reveal(token, out var nothing));
                Assert.Equal("", nothing);
            }

            Assert.NotEqual(token, b.Protect(value));
            Assert.Equal(TokenReveal.Refused, b.Reveal(token, out var leaked));
            Assert.Equal("", leaked);
        }, iter: 300);
    }

    [Fact]
    public void Every_token_of_a_capacity_has_one_length_whatever_the_value()
    {
        Gen.Select(TenantKey, Text, Gen.Int[Pseudonymiser.MinCapacity, Pseudonymiser.MaxCapacity], (k, t, n) => (k, t, n)).Sample(c =>
        {
            using var p = new Pseudonymiser(c.k, c.n);
            Assert.Equal(Pseudonymiser.TokenLengthFor(c.n), p.Protect(c.t).Length);
            Assert.Equal(p.TokenLength, p.Protect("").Length);
            Assert.Equal(p.TokenLength, p.Protect(new string('9', 10_000)).Length);
        }, iter: 300);

        using var standard = new Pseudonymiser(RandomNumberGenerator.GetBytes(64));
        var exactlyFull = new string('x', Pseudonymiser.DefaultCapacity);
        Assert.True(standard.TryReveal(standard.Protect(exactlyFull), out var full));
        Assert.Equal(exactlyFull, full);
        Assert.Equal(TokenReveal.TooLong, standard.Reveal(standard.Protect(exactlyFull + "x"), out _));
        // A CJK character is three bytes: ten fit in 32, eleven do not.
        Assert.True(standard.TryReveal(standard.Protect(new string('王', 10)), out _));
        Assert.Equal(TokenReveal.TooLong, standard.Reveal(standard.Protect(new string('王', 11)), out _));
        // Over-long values stay distinct and stable.
        Assert.NotEqual(standard.Protect(new string('1', 40)), standard.Protect(new string('1', 41)));
        Assert.Equal(standard.Protect(new string('1', 40)), standard.Protect(new string('1', 40)));
        Assert.Equal(80, standard.TokenLength);
    }

    [Fact]
    public void A_token_of_another_capacity_is_refused()
    {
        var key = RandomNumberGenerator.GetBytes(64);
        using var small = new Pseudonymiser(key, 24);
        using var large = new Pseudonymiser(key, 32);
        Assert.Equal(TokenReveal.Refused, large.Reveal(small.Protect("330203199001011234"), out _));
        Assert.Equal(TokenReveal.Refused, small.Reveal(large.Protect("330203199001011234"), out _));
        Assert.True(small.TryReveal(small.Protect("330203199001011234"), out var value));
        Assert.Equal("330203199001011234", value);
    }

    [Fact]
    public void Different_values_give_different_tokens()
    {
        Gen.Select(TenantKey, Text, Text, (k, x, y) => (k, x, y)).Sample(c =>
        {
            using var p = new Pseudonymiser(c.k);
            Assert.Equal(c.x == c.y, p.Protect(c.x) == p.Protect(c.y));
        }, iter: 300);
    }

    [Fact]
    public void A_token_with_any_one_character_changed_does_not_reveal()
    {
        // Replacements from inside and outside the base32 alphabet, upper case and the digits base32 leaves out included.
        var replacements = Gen.Char[Base32Alphabet + "ABZ0189=-_ é王"];
        Gen.Select(TenantKey, Text, Gen.Int[0, int.MaxValue], replacements, (k, t, at, r) => (k, t, at, r)).Sample(c =>
        {
            using var p = new Pseudonymiser(c.k);
            var token = p.Protect(c.t);
            var chars = token.ToCharArray();
            var at = c.at % chars.Length;
            chars[at] = c.r != chars[at] ? c.r : Base32Alphabet[(Base32Alphabet.IndexOf(c.r, StringComparison.Ordinal) + 1) % 32];
            Assert.False(p.TryReveal(new string(chars), out _), $"changed at {at}");
        }, iter: 1000);
    }

    [Fact]
    public void Every_single_character_change_of_a_short_token_is_refused()
    {
        using var p = new Pseudonymiser(RandomNumberGenerator.GetBytes(64));
        foreach (var value in new[] { "", "13812345678", "330203199001011234", "王小明" })
        {
            var token = p.Protect(value);
            for (var i = 0; i < token.Length; i++)
            {
                foreach (var r in Base32Alphabet + "P_")
                {
                    if (r == token[i])
                    {
                        continue;
                    }
                    var changed = string.Concat(token.AsSpan(0, i), r.ToString(), token.AsSpan(i + 1));
                    Assert.False(p.TryReveal(changed, out _), $"{value}: {changed}");
                }
            }
            Assert.False(p.TryReveal(token[..^1], out _));
            Assert.False(p.TryReveal(token + "a", out _));
            Assert.False(p.TryReveal(token.ToUpperInvariant(), out _));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("pt_")]
    [InlineData("pt_a")]
    [InlineData("13812345678")]
    [InlineData("PT_aaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("pt_aaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Text_that_is_not_a_token_does_not_reveal(string text)
    {
        using var p = new Pseudonymiser(RandomNumberGenerator.GetBytes(64));
        Assert.False(p.TryReveal(text, out var value));
        Assert.Equal("", value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(63)]
    [InlineData(65)]
    public void A_tenant_key_has_64_bytes(int length) =>
        Assert.Throws<ArgumentException>(() => new Pseudonymiser(new byte[length]));

    [Fact]
    public void Keys_derived_from_the_master_key_separate_tenants_datasets_and_linkage_domains_and_stay_stable()
    {
        var master = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var keys = Keys(master);
        keys.EnsureLoaded();
        var tenantId = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"].Array[1, 12].Select(c => new string(c));
        Gen.Select(tenantId, tenantId, tenantId, Text, (x, y, d, v) => (x, y, d, v)).Sample(c =>
        {
            var (tenantA, tenantB, dataset, value) = c;
            using var a = keys.ForDataset(tenantA, dataset);
            var token = a.Protect(value);
            AssertTokenShape(token);
            var fits = Encoding.UTF8.GetByteCount(value) <= a.Capacity;
            Assert.Equal(fits ? TokenReveal.Revealed : TokenReveal.TooLong, a.Reveal(token, out var revealed));
            Assert.Equal(fits ? value : "", revealed);

            // Another node with the same master key issues and reads the same tokens.
            using var sameTenantElsewhere = Keys(master).ForDataset(tenantA, dataset);
            Assert.Equal(token, sameTenantElsewhere.Protect(value));

            // The same tenant in another dataset, or in a linkage domain, holds another key.
            using var otherDataset = keys.ForDataset(tenantA, dataset + "-2");
            Assert.NotEqual(token, otherDataset.Protect(value));
            Assert.Equal(TokenReveal.Refused, otherDataset.Reveal(token, out _));
            using var domain = keys.ForLinkage(tenantA, dataset);
            Assert.NotEqual(token, domain.Protect(value));
            Assert.Equal(TokenReveal.Refused, domain.Reveal(token, out _));

            if (tenantA != tenantB)
            {
                using var b = keys.ForDataset(tenantB, dataset);
                Assert.NotEqual(token, b.Protect(value));
                Assert.Equal(TokenReveal.Refused, b.Reveal(token, out _));
                using var bDomain = keys.ForLinkage(tenantB, dataset);
                Assert.NotEqual(domain.Protect(value), bDomain.Protect(value));
            }
        }, iter: 200);

        // One tenant's linkage key is the same whichever dataset asks for it: that is what lets approved columns match.
        using (var fromA = keys.ForLinkage("t1", "person"))
        using (var fromB = keys.ForLinkage("t1", "person"))
        {
            Assert.Equal(fromA.Protect("330203199001011234"), fromB.Protect("330203199001011234"));
        }

        using var other = Keys(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).ForDataset("t1", "d1");
        using var mine = keys.ForDataset("t1", "d1");
        Assert.NotEqual(mine.Protect("13812345678"), other.Protect("13812345678"));
        Assert.False(other.TryReveal(mine.Protect("13812345678"), out _));

        Assert.Equal(32, keys.SyntheticKey().Length);
        Assert.Equal(keys.SyntheticKey(), Keys(master).SyntheticKey());
    }

    [Theory]
    [InlineData("AAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==")]
    public void A_master_key_that_is_not_32_bytes_stops_the_host(string base64) =>
        Assert.Throws<InvalidOperationException>(() => Keys(base64).EnsureLoaded());

    // ---- Base32 -----------------------------------------------------------------------------------------------------

    [Fact]
    public void Base32_round_trips_bytes_in_its_own_alphabet()
    {
        Gen.Byte.Array[0, 100].Sample(bytes =>
        {
            var text = Base32.Encode(bytes);
            Assert.Equal(((bytes.Length * 8) + 4) / 5, text.Length);
            Assert.Matches(Base32Only(), text);
            Assert.Equal(bytes, Base32.Decode(text));
        }, iter: 1000);
    }

    [Fact]
    public void Base32_refuses_characters_outside_the_alphabet()
    {
        Gen.Select(Gen.Byte.Array[1, 60], Gen.Int[0, int.MaxValue], Gen.Char["ABCXYZ01890=-_ .é王\0"], (b, at, c) => (b, at, c)).Sample(c =>
        {
            var chars = Base32.Encode(c.b).ToCharArray();
            chars[c.at % chars.Length] = c.c;
            Assert.Null(Base32.Decode(chars));
        }, iter: 1000);
    }

    [Fact]
    public void Base32_refuses_non_canonical_trailing_bits_and_impossible_lengths()
    {
        // Lengths whose last character carries unused bits: set one of them and the text no longer comes from Encode.
        Gen.Select(Gen.Byte.Array[1, 60].Where(b => b.Length * 8 % 5 != 0), Gen.Int[0, 4], (b, bit) => (b, bit)).Sample(c =>
        {
            var chars = Base32.Encode(c.b).ToCharArray();
            var unused = 5 - (c.b.Length * 8 % 5);
            var last = Base32Alphabet.IndexOf(chars[^1], StringComparison.Ordinal);
            chars[^1] = Base32Alphabet[last | (1 << (c.bit % unused))];
            Assert.Null(Base32.Decode(chars));
        }, iter: 1000);

        Gen.Select(Gen.Int[0, 30], Gen.Int[0, 2], Gen.Char[Base32Alphabet].Array[256], (blocks, r, pool) => (blocks, r, pool)).Sample(c =>
        {
            var length = (c.blocks * 8) + new[] { 1, 3, 6 }[c.r];
            Assert.Null(Base32.Decode(c.pool.AsSpan(0, length)));
        }, iter: 300);
    }

    // ---- Generalisation ---------------------------------------------------------------------------------------------

    private static readonly Gen<DateOnly> Date = Gen.Int[DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber].Select(DateOnly.FromDayNumber);

    private static readonly Gen<Func<DateOnly, object>> DateForm = Gen.OneOf<Func<DateOnly, object>>(
        d => d,
        d => d.ToDateTime(new TimeOnly(23, 59, 59)),
        d => new DateTimeOffset(d.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero),
        d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        d => d.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture) + " 08:30",
        d => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture));

    [Fact]
    public void Year_and_month_are_monotone_and_exact()
    {
        Gen.Select(Date, Date, DateForm, DateForm, (x, y, fx, fy) => (x, y, fx, fy)).Sample(c =>
        {
            var (a, b) = c.x <= c.y ? (c.x, c.y) : (c.y, c.x);
            var (ya, yb) = (Generalisation.Year(c.fx(a)), Generalisation.Year(c.fy(b)));
            var (ma, mb) = (Generalisation.Month(c.fx(a)), Generalisation.Month(c.fy(b)));
            Assert.Equal(a.Year.ToString("D4", CultureInfo.InvariantCulture), ya);
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{a.Year:D4}-{a.Month:D2}"), ma);
            Assert.True(string.CompareOrdinal(ya, yb) <= 0, $"{a} → {ya}, {b} → {yb}");
            Assert.True(string.CompareOrdinal(ma, mb) <= 0, $"{a} → {ma}, {b} → {mb}");
        }, iter: 2000);
    }

    private static readonly Gen<long> Width = Gen.Frequency((3, Gen.Long[1, 100]), (1, Gen.Long[1, 1_000_000_000]));

    [Fact]
    public void Integer_bands_are_monotone_and_hold_their_value()
    {
        var values = Gen.Frequency((3, Gen.Long[-10_000, 10_000]), (1, Gen.Long));
        Gen.Select(values, values, Width, (x, y, w) => (x, y, w)).Sample(c =>
        {
            var (a, b) = c.x <= c.y ? (c.x, c.y) : (c.y, c.x);
            var band = Generalisation.Band(a, c.w);
            Assert.NotNull(band);
            var (low, high) = Bounds(band);
            Assert.True(low <= a && a <= high, $"{a} outside {band}");
            Assert.Equal(low + c.w - 1, high);
            Assert.Equal(0m, low % c.w);
            Assert.True(Generalisation.BandLow(band) <= Generalisation.BandLow(Generalisation.Band(b, c.w)!), $"{a} {b} width {c.w}");
            if (a is >= int.MinValue and <= int.MaxValue)
            {
                Assert.Equal(band, Generalisation.Band((int)a, c.w));
            }
        }, iter: 2000);
    }

    [Fact]
    public void Decimal_bands_are_monotone_and_hold_their_value()
    {
        var values = Gen.Frequency((3, Gen.Decimal[-1_000_000m, 1_000_000m]), (1, Gen.Decimal));
        Gen.Select(values, values, Width, Gen.Bool, (x, y, w, asText) => (x, y, w, asText)).Sample(c =>
        {
            var (a, b) = c.x <= c.y ? (c.x, c.y) : (c.y, c.x);
            object A(decimal v) => c.asText ? v.ToString(CultureInfo.InvariantCulture) : v;
            var band = Generalisation.Band(A(a), c.w);
            var other = Generalisation.Band(A(b), c.w);
            if (band is null || other is null)
            {
                // Only a band that reaches past the decimal range cannot be written.
                Assert.True(Math.Abs(band is null ? a : b) > decimal.MaxValue - (2 * c.w), $"no band for {(band is null ? a : b)}");
                return;
            }
            var (low, high) = Bounds(band);
            Assert.True(low <= a && a < high, $"{a} outside {band} (width {c.w})");
            Assert.Equal(low + c.w, high);
            Assert.True(Generalisation.BandLow(band) <= Generalisation.BandLow(other), $"{a} → {band}, {b} → {other}");
        }, iter: 2000);
    }

    [Theory]
    [InlineData("34", 10, "30-40")]
    [InlineData("-0.0000000000000000000000902", 104750859, "-104750859-0")]
    [InlineData("69999999999999999999999999.999", 7, "69999999999999999999999993-70000000000000000000000000")]
    [InlineData("-7.5", 10, "-10-0")]
    public void Decimal_band_examples(string value, long width, string expected) =>
        Assert.Equal(expected, Generalisation.Band(decimal.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture), width));

    [Fact]
    public void A_band_past_the_edge_of_the_decimal_range_is_null_not_an_exception()
    {
        Assert.Null(Generalisation.Band(decimal.MaxValue, 10));
        Assert.Null(Generalisation.Band(decimal.MinValue, 10));
        Assert.Equal("-9223372036854775810--9223372036854775801", Generalisation.Band(long.MinValue, 10));
        Assert.Equal("9223372036854775800-9223372036854775809", Generalisation.Band(long.MaxValue, 10));
    }

    private static readonly Gen<decimal> GridSize = Gen.OneOf(0.01m, 0.001m, 0.1m, 1m, 10m, 0.05m, 0.02m, 0.5m, 0.25m, 0.125m, 2.5m, 0.0001m);

    // Coordinates as data holds them: up to 10 decimals.
    private static Gen<decimal> Coordinate(int limit) =>
        Gen.Select(Gen.Long[-limit * 10_000_000_000L, limit * 10_000_000_000L], Gen.Int[0, 10], (units, decimals) => Math.Round(units / 10_000_000_000m, decimals, MidpointRounding.ToZero));

    [Fact]
    public void Grid_cells_are_monotone_on_each_axis_and_hold_their_point()
    {
        Gen.Select(Coordinate(90), Coordinate(180), Coordinate(90), Coordinate(180), GridSize, (la, lo, lb, lob, s) => (la, lo, lb, lob, s)).Sample(c =>
        {
            var a = Cell(c.la, c.lo, c.s);
            var b = Cell(c.lb, c.lob, c.s);
            Assert.True(a.Lat <= c.la && c.la < a.Lat + c.s, $"latitude {c.la} outside its cell at {a.Lat} (size {c.s})");
            Assert.True(a.Lon <= c.lo && c.lo < a.Lon + c.s, $"longitude {c.lo} outside its cell at {a.Lon} (size {c.s})");
            if (c.la <= c.lb)
            {
                Assert.True(a.Lat <= b.Lat, $"{c.la} ≤ {c.lb} but {a.Lat} > {b.Lat}");
            }
            else
            {
                Assert.True(a.Lat >= b.Lat);
            }
            if (c.lo <= c.lob)
            {
                Assert.True(a.Lon <= b.Lon, $"{c.lo} ≤ {c.lob} but {a.Lon} > {b.Lon}");
            }
            else
            {
                Assert.True(a.Lon >= b.Lon);
            }
        }, iter: 2000);
    }

    [Theory]
    [InlineData("29.8683,121.5440", "0.01", "29.86,121.54")]
    [InlineData("29.8683, 121.5440", "0.1", "29.8,121.5")]
    [InlineData("-33.8688,151.2093", "0.01", "-33.87,151.20")]
    [InlineData("29.8683,121.5440", "0.25", "29.75,121.50")]
    [InlineData("29.8683,121.5440", "2.5", "27.5,120.0")]
    public void Grid_examples(string point, string size, string expected) =>
        Assert.Equal(expected, Generalisation.Grid(point, decimal.Parse(size, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("浙江省宁波市海曙区南门街道解放南路12号", "浙江省宁波市海曙区")]
    [InlineData("浙江省宁波市余姚市阳明街道", "浙江省宁波市余姚市")]
    [InlineData("北京市朝阳区建国路1号", "北京市朝阳区")]
    [InlineData("海曙区南门街道", "海曙区")]
    [InlineData("浙江省宁波市宁海县跃龙街道", "浙江省宁波市宁海县")]
    [InlineData("内蒙古自治区呼和浩特市新城区中山路", "内蒙古自治区呼和浩特市新城区")]
    [InlineData("海曙区解放南路12号", "海曙区")]
    [InlineData("宁波市中山东路138号", "宁波市")]
    [InlineData("浙江省杭州大道1号", "浙江省")]
    [InlineData("浙江宁波海曙区解放南路12号", "浙江宁波海曙区")]
    [InlineData("地址：浙江省宁波市江北区洪塘街道", "浙江省宁波市江北区")]
    [InlineData("宁波市鄞州区首南街道阳光社区", "宁波市鄞州区")]
    [InlineData("北京市 朝阳区 建国路1号", "北京市 朝阳区")]
    [InlineData("吉林省长春市朝阳区人民大街", "吉林省长春市朝阳区")]
    [InlineData("沛县中山路1号", "沛县")]
    [InlineData("湖北省仙桃市沙嘴街道", "湖北省仙桃市")]
    public void District_examples(string address, string expected) =>
        Assert.Equal(expected, Generalisation.District(address));

    public static TheoryData<string, object?> Unreadable => new()
    {
        { "year", "hello" },
        { "year", "1990-13-01" },
        { "year", "1990-02-30" },
        { "year", "19900230" },
        { "year", "90-01-01" },
        { "year", 1990L },
        { "year", null },
        { "month", "" },
        { "month", true },
        { "band", "abc" },
        { "band", "" },
        { "band", "12abc" },
        { "band", double.NaN },
        { "band", double.PositiveInfinity },
        { "band", true },
        { "band", null },
        { "band", new DateOnly(1990, 1, 1) },
        { "grid", "abc" },
        { "grid", "29.86" },
        { "grid", "29.86," },
        { "grid", ",121.54" },
        { "grid", "91,0" },
        { "grid", "0,181" },
        { "grid", "-90.5,0" },
        { "grid", 29.86m },
        { "grid", null },
        { "district", "" },
        { "district", "解放南路12号" },
        { "district", "阳光社区3幢" },
        { "district", "小城区中山路" },
        { "district", "幸福小区12号楼" },
        { "district", "Main Street 12" },
        { "district", 330203L },
        { "district", null },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void Unreadable_values_become_null(string to, object? value) =>
        Assert.Null(Generalise(to, value));

    [Fact]
    public void Text_that_is_no_date_number_point_or_address_becomes_null()
    {
        Gen.Select(Gen.Char["abcdefghijklmnopqrstuvwxyz ,-/:"].Array[0, 30].Select(c => new string(c)), Gen.OneOf("year", "month", "band", "grid", "district"), (t, to) => (t, to))
            .Sample(c => Assert.Null(Generalise(c.to, c.t)), iter: 1000);
    }

    // ---- Synthesis --------------------------------------------------------------------------------------------------

    private static readonly string[] Tags = ["pii.name", "pii.phone", "pii.id_card", "pii.address", "pii.email", "pii.bank_card", "geo.point", "date.birth", "num.age"];

    [Fact]
    public void Synthesis_is_deterministic_and_makes_values_of_the_right_shape()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.OneOf(Tags), Element.Array[0, 30].Select(string.Concat), (k, t, v) => (k, t, v)).Sample(c =>
        {
            var type = c.t == "num.age" ? ColumnType.Integer : ColumnType.String;
            var fake = new Synthesis(c.k).Make(c.t, type, c.v);
            Assert.NotNull(fake);
            Assert.Equal(fake, new Synthesis(c.k).Make(c.t, type, c.v));
            var text = Convert.ToString(fake, CultureInfo.InvariantCulture)!;
            switch (c.t)
            {
                case "pii.id_card":
                    Assert.Equal(18, text.Length);
                    Assert.True(PiiScanner.IsIdCard(Digits(text[..17]), text[17] == 'X' ? 10 : text[17] - '0'), text);
                    Assert.Equal([new PiiMatch(PiiKind.IdCard, 0, 18)], PiiScanner.Find(text));
                    break;
                case "pii.bank_card":
                    Assert.Matches(BankCardShape(), text);
                    Assert.True(PiiScanner.Luhn(Digits(text)), text);
                    break;
                case "pii.phone":
                    Assert.Matches(MobileShape(), text);
                    Assert.Equal([new PiiMatch(PiiKind.Mobile, 0, 11)], PiiScanner.Find(text));
                    break;
                case "pii.email":
                    Assert.Equal([new PiiMatch(PiiKind.Email, 0, text.Length)], PiiScanner.Find(text));
                    break;
                case "pii.address":
                    Assert.StartsWith("浙江省宁波市", text, StringComparison.Ordinal);
                    Assert.NotNull(Generalisation.District(text));
                    break;
                case "geo.point":
                    Assert.NotNull(Generalisation.Grid(text, 0.01m));
                    break;
                case "date.birth":
                    Assert.NotNull(Generalisation.Year(text));
                    break;
                case "num.age":
                    Assert.InRange((long)fake, 18, 80);
                    break;
                default:
                    // A surname, then one or two given names of one or two characters (秀英).
                    Assert.InRange(text.Length, 2, 5);
                    break;
            }
        }, iter: 1000);
    }

    [Fact]
    public void Synthesis_depends_on_the_key()
    {
        var a = new Synthesis(RandomNumberGenerator.GetBytes(32));
        var b = new Synthesis(RandomNumberGenerator.GetBytes(32));
        var values = Enumerable.Range(0, 50).Select(i => "1381234" + i.ToString("D4", CultureInfo.InvariantCulture)).ToList();
        Assert.NotEqual(values.Select(v => a.Make("pii.phone", ColumnType.String, v)), values.Select(v => b.Make("pii.phone", ColumnType.String, v)));
        Assert.True(values.Select(v => a.Make("pii.phone", ColumnType.String, v)).Distinct().Count() > 40, "different values give (mostly) different fakes");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static void AssertTokenShape(string token)
    {
        Assert.StartsWith(Pseudonymiser.Prefix, token, StringComparison.Ordinal);
        Assert.Equal("pt_", Pseudonymiser.Prefix);
        Assert.Matches(Base32Only(), token[3..]);
        Assert.Empty(PiiScanner.Find(token));
    }

    private static string[] TextElements(string text)
    {
        var elements = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            elements.Add(e.GetTextElement());
        }
        return [.. elements];
    }

    private static (decimal Low, decimal High) Bounds(string band)
    {
        var dash = band.IndexOf('-', 1);
        return (decimal.Parse(band[..dash], NumberStyles.Float, CultureInfo.InvariantCulture), decimal.Parse(band[(dash + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private static (decimal Lat, decimal Lon) Cell(decimal lat, decimal lon, decimal size)
    {
        var cell = Generalisation.Grid(string.Create(CultureInfo.InvariantCulture, $"{lat},{lon}"), size);
        Assert.NotNull(cell);
        var parts = cell.Split(',');
        Assert.Equal(2, parts.Length);
        return (decimal.Parse(parts[0], CultureInfo.InvariantCulture), decimal.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static string? Generalise(string to, object? value) => to switch
    {
        "year" => Generalisation.Year(value),
        "month" => Generalisation.Month(value),
        "band" => Generalisation.Band(value, 10),
        "grid" => Generalisation.Grid(value, 0.01m),
        _ => Generalisation.District(value),
    };

    private static byte[] Digits(string text) => text.Select(c => (byte)(c - '0')).ToArray();

    private static PseudonymKeys Keys(string masterKey)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OpenData:Desensitisation:MasterKey"] = masterKey })
            .Build();
        // The key ring is only asked when no master key is configured, so it needs no database here.
        return new PseudonymKeys(configuration, new KeyRing(null!, null!, configuration, TimeProvider.System, NullLogger<KeyRing>.Instance));
    }

    [GeneratedRegex("^[a-z2-7]*$")]
    private static partial Regex Base32Only();

    [GeneratedRegex("^1[3-9][0-9]{9}$")]
    private static partial Regex MobileShape();

    [GeneratedRegex("^62[0-9]{16}$")]
    private static partial Regex BankCardShape();
}
