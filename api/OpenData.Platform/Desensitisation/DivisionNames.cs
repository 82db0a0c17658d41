namespace OpenData.Platform.Desensitisation;

/// <summary>The county-level and higher division names of China (embedded <c>divisions.tsv</c>), matched inside text.</summary>
/// <remarks>
/// Full names (<c>浙江省</c>, <c>宁波市</c>, <c>海曙区</c>) are matched anywhere; province and prefecture short forms (<c>浙江</c>,
/// <c>宁波</c>, <c>内蒙古</c>) only where a lower division follows them at once, since on their own they are ordinary words.
/// Two-character names (<c>城区</c>, <c>矿区</c>, <c>赵县</c>) are matched only at the start of an address or right after the
/// division that holds them, so <c>老城区</c> is never a county.
/// </remarks>
internal sealed class DivisionNames
{
    private static readonly Lazy<DivisionNames> Loaded = new(Load);

    private readonly Dictionary<string, Division[]> _byName;
    private readonly Dictionary<string, Division[]>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    // One bit per BMP character: can it start a name, can it end one. Both are checked before hashing a span.
    private readonly ulong[] _first = new ulong[1024];
    private readonly ulong[] _last = new ulong[1024];
    private readonly ulong[] _lastFull = new ulong[1024];

    // The longest name starting, and the longest full name ending, with each BMP character: a match at a position tries only
    // the lengths a name there can have (浙 → 3 at most), not every length up to the longest name of all.
    private readonly byte[] _longestFrom = new byte[65536];
    private readonly byte[] _longestFullTo = new byte[65536];

    private DivisionNames(Dictionary<string, Division[]> byName)
    {
        _byName = byName;
        _lookup = byName.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var (name, divisions) in byName)
        {
            Set(_first, name[0]);
            Set(_last, name[^1]);
            _longestFrom[name[0]] = (byte)Math.Max(_longestFrom[name[0]], Math.Min(name.Length, 255));
            if (!divisions[0].Short)
            {
                // Few characters end a full name (区, 县, 市, 省, 旗, 州, 盟…): most positions are refused on one bit.
                Set(_lastFull, name[^1]);
                _longestFullTo[name[^1]] = (byte)Math.Max(_longestFullTo[name[^1]], Math.Min(name.Length, 255));
            }
        }
    }

    public static DivisionNames Shared => Loaded.Value;

    /// <summary>Every division written with <paramref name="name"/> (a few county names repeat across provinces).</summary>
    public IReadOnlyList<Division> Named(string name) => _byName.TryGetValue(name, out var found) ? found : [];

    /// <summary>Could a name start with <paramref name="c"/>? A one-bit test, for callers that scan a whole text.</summary>
    public bool MayStart(char c) => Has(_first, c);

    /// <summary>
    /// The longest name starting at <paramref name="at"/>, held by <paramref name="parent"/> when one is given. Short forms and
    /// two-character names need a parent or <paramref name="atStart"/>; a short form then also needs a child right after it.
    /// </summary>
    public bool TryMatchAt(ReadOnlySpan<char> text, int at, Division? parent, bool atStart, out Division found, out int length)
    {
        found = default;
        length = 0;
        if (at >= text.Length || !Has(_first, text[at]))
        {
            return false;
        }
        for (var len = Math.Min(_longestFrom[text[at]], text.Length - at); len >= 2; len--)
        {
            if (!Has(_last, text[at + len - 1]) || !_lookup.TryGetValue(text.Slice(at, len), out var candidates))
            {
                continue;
            }
            foreach (var d in candidates)
            {
                if (parent is { } p ? !p.Holds(d) : (d.Name.Length == 2 && !atStart))
                {
                    continue;
                }
                if (d.Short && !TryMatchAt(text, at + len, d, atStart: false, out _, out _))
                {
                    continue;
                }
                found = d;
                length = len;
                return true;
            }
        }
        return false;
    }

    /// <summary>The longest full name (three characters or more) ending just before <paramref name="end"/>.</summary>
    public bool TryMatchEndingAt(ReadOnlySpan<char> text, int end, out Division found, out int length)
    {
        found = default;
        length = 0;
        if (end < 3 || !Has(_lastFull, text[end - 1]))
        {
            return false;
        }
        for (var len = Math.Min(_longestFullTo[text[end - 1]], end); len >= 3; len--)
        {
            if (Has(_first, text[end - len]) && _lookup.TryGetValue(text.Slice(end - len, len), out var candidates))
            {
                foreach (var d in candidates)
                {
                    if (!d.Short)
                    {
                        found = d;
                        length = len;
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /// <summary>
    /// The chain of divisions starting at <paramref name="at"/> (<c>浙江省宁波市海曙区</c>, each held by the one before), spaces
    /// between allowed; the end of its deepest county-level or higher name, or -1 when none starts there.
    /// </summary>
    public int ChainEnd(ReadOnlySpan<char> text, int at, bool atStart, out Division deepest)
    {
        deepest = default;
        if (!TryMatchAt(text, at, null, atStart, out var current, out var length))
        {
            return -1;
        }
        var end = at + length;
        deepest = current;
        while (deepest.Level < 3)
        {
            var next = end;
            while (next < text.Length && text[next] is ' ' or '\u3000')
            {
                next++;
            }
            if (!TryMatchAt(text, next, deepest, atStart: false, out current, out length))
            {
                break;
            }
            deepest = current;
            end = next + length;
        }
        return end;
    }

    private static void Set(ulong[] bits, char c) => bits[c >> 6] |= 1UL << (c & 63);

    private static bool Has(ulong[] bits, char c) => (bits[c >> 6] & (1UL << (c & 63))) != 0;

    private static DivisionNames Load()
    {
        var lists = new Dictionary<string, List<Division>>(StringComparer.Ordinal);
        void Add(Division d)
        {
            if (!lists.TryGetValue(d.Name, out var list))
            {
                lists[d.Name] = list = [];
            }
            // A full name wins over someone else's short form of the same letters (海南 is a province's short form and not a name).
            if (d.Short)
            {
                list.Add(d);
            }
            else
            {
                list.Insert(list.FindIndex(x => x.Short) is var i and >= 0 ? i : list.Count, d);
            }
        }
        using var stream = typeof(DivisionNames).Assembly.GetManifestResourceStream("desensitisation/divisions.tsv")
            ?? throw new InvalidOperationException("The embedded division names (desensitisation/divisions.tsv) are missing from the build.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var code = line[..tab];
            var name = line[(tab + 1)..];
            Add(new Division(code, name, Short: false));
            if (code.Length <= 4 && ShortForm(name) is { } shortName)
            {
                Add(new Division(code, shortName, Short: true));
            }
        }
        return new DivisionNames(lists.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal));
    }

    /// <summary>浙江省 → 浙江, 宁波市 → 宁波, 广西壮族自治区 → 广西; prefectures named …地区, …盟 or …自治州 keep their full name only.</summary>
    private static string? ShortForm(string name)
    {
        foreach (var suffix in (ReadOnlySpan<string>)["维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length - suffix.Length >= 2)
            {
                return name[..^suffix.Length];
            }
        }
        return null;
    }
}
