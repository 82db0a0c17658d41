using System.Text.RegularExpressions;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Desensitisation;

/// <summary>A tag suggested to a dataset's owner: the share of the column's sampled non-empty cells that looked like it.</summary>
internal sealed record TagSuggestion(string Column, string Tag, double Share, int Sampled);

/// <summary>
/// Profiles the untagged columns of an upload while it loads. Every cell of every untagged text, integer and decimal column is
/// read once with the outbound check's recogniser, so that a column holding even one ID-card, phone, bank-card number or e-mail
/// address is suspected (<see cref="Suspicions"/>) before its version is published: one value is enough to be recovered digit by
/// digit through a filter. Text columns are profiled besides (the first rows only, set in <c>desensitisation.yaml</c>):
/// the share of non-empty cells holding an ID-card number, mobile or landline, bank card, e-mail, a name after a cue word or a
/// street address (the outbound check's recogniser), a cell that is a Chinese personal name or an address, or a latitude,longitude point. Shares at or above the policy's threshold
/// become tag suggestions for the owner; nothing is tagged automatically.
/// </summary>
internal sealed partial class ColumnProfiler
{
    // Narrower than the outbound check's list (NameFinder.Surnames): a whole cell is judged here with no cue word beside it.
    private static readonly HashSet<char> CommonSurnames =
    [
        .. "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤",
    ];

    private static readonly HashSet<char> PlaceEndings = [.. "站院校湖山江河海村镇乡区县市省路街巷道桥港湾园馆场店局所厂室楼厅队处委会司部中心"];

    private static readonly PiiKind[] Kinds = Enum.GetValues<PiiKind>();

    private static readonly string[] Tags = ["pii.id_card", "pii.phone", "pii.bank_card", "pii.email", "pii.name", "pii.address", "geo.point"];

    private readonly DesensitisationPolicy _policy;
    private readonly int[] _positions;
    private readonly bool[] _text;
    private readonly int[] _found;
    private readonly int[] _sampled;
    private readonly int[,] _hits;
    private readonly string?[] _last;
    private long _rows;

    public ColumnProfiler(DatasetSchema dataset, DesensitisationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        Dataset = dataset;
        _positions = dataset.Columns
            .Where(c => c.Tag is null && c.Type is ColumnType.String or ColumnType.Integer or ColumnType.Decimal)
            .Select(c => c.Position).ToArray();
        _text = _positions.Select(p => dataset.Columns[p].Type == ColumnType.String).ToArray();
        _found = new int[_positions.Length];
        _sampled = new int[_positions.Length];
        _hits = new int[_positions.Length, Tags.Length];
        _last = new string?[_positions.Length];
    }

    public DatasetSchema Dataset { get; }

    /// <summary>Looks at one parsed row (values in declared column order): every row for suspicions, the first rows for suggestions.</summary>
    public void Observe(object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (_positions.Length == 0)
        {
            return;
        }
        var sample = ++_rows <= _policy.ProfileRows;
        for (var i = 0; i < _positions.Length; i++)
        {
            var value = values[_positions[i]];
            if (!_text[i])
            {
                if (PiiScanner.NumberText(value) is { } digits)
                {
                    _found[i] |= PiiScanner.Kinds(digits);
                }
                continue;
            }
            if (value is not string { Length: > 0 } text)
            {
                continue;
            }
            if (!sample && ReferenceEquals(text, _last[i]))
            {
                // The very text of the row before (the loader hands a repeated text over as the same string): its kinds are in already.
                continue;
            }
            _last[i] = text;
            var kinds = PiiScanner.Kinds(text);
            _found[i] |= kinds;
            if (!sample)
            {
                continue;
            }
            _sampled[i]++;
            // One hit per tag and cell, whether the outbound check's recogniser or the whole-cell shapes below saw it.
            var seen = 0;
            foreach (var kind in Kinds)
            {
                if ((kinds & (1 << (int)kind)) != 0)
                {
                    seen |= 1 << kind switch
                    {
                        PiiKind.IdCard => 0,
                        PiiKind.Mobile or PiiKind.Landline => 1,
                        PiiKind.BankCard => 2,
                        PiiKind.Email => 3,
                        PiiKind.Name => 4,
                        _ => 5,
                    };
                }
            }
            seen |= (LooksLikeName(text) ? 1 << 4 : 0) | (LooksLikeAddress(text) ? 1 << 5 : 0);
            for (var tag = 0; tag < 6; tag++)
            {
                if ((seen & (1 << tag)) != 0)
                {
                    _hits[i, tag]++;
                }
            }
            if (Point().IsMatch(text))
            {
                _hits[i, 6]++;
            }
        }
    }

    /// <summary>
    /// The untagged columns to suspect, with the reason: the kinds of values found in any of their cells, and the tags suggested
    /// for them (a suggestion means the column looks personal even where no number is checkable, such as names or addresses).
    /// </summary>
    public IReadOnlyList<(int Position, string Reason)> Suspicions(IReadOnlyList<TagSuggestion> suggestions)
    {
        ArgumentNullException.ThrowIfNull(suggestions);
        var reasons = new SortedDictionary<int, List<string>>();
        void Add(int position, string reason)
        {
            if (!reasons.TryGetValue(position, out var list))
            {
                reasons[position] = list = [];
            }
            list.Add(reason);
        }
        for (var i = 0; i < _positions.Length; i++)
        {
            foreach (var kind in Enum.GetValues<PiiKind>())
            {
                if ((_found[i] & (1 << (int)kind)) != 0)
                {
                    Add(_positions[i], "found:" + kind.ToString().ToLowerInvariant());
                }
            }
        }
        foreach (var suggestion in suggestions)
        {
            if (Dataset.FindColumn(suggestion.Column) is { Tag: null } column)
            {
                Add(column.Position, "suggested:" + suggestion.Tag);
            }
        }
        return reasons.Select(r => (r.Key, string.Join(' ', r.Value.Distinct()))).ToList();
    }

    /// <summary>The tags worth suggesting, strongest first per column; only tags the policy knows.</summary>
    public IReadOnlyList<TagSuggestion> Suggestions()
    {
        var suggestions = new List<TagSuggestion>();
        for (var i = 0; i < _positions.Length; i++)
        {
            if (_sampled[i] == 0)
            {
                continue;
            }
            for (var t = 0; t < Tags.Length; t++)
            {
                var share = (double)_hits[i, t] / _sampled[i];
                if (share >= _policy.SuggestShare && _policy.Find(Tags[t]) is not null)
                {
                    suggestions.Add(new TagSuggestion(Dataset.Columns[_positions[i]].Name, Tags[t], Math.Round(share, 4), _sampled[i]));
                }
            }
        }
        return suggestions.OrderBy(s => Dataset.FindColumn(s.Column)!.Position).ThenByDescending(s => s.Share).ToList();
    }

    /// <summary>
    /// Two to four Han characters starting with a common surname (王小明, 欧阳娜娜 is missed: compound surnames are rare), not ending
    /// like the name of a place or an institution (钱湖, 万里学院, 龙赛医院 start with surnames too).
    /// </summary>
    internal static bool LooksLikeName(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length is < 2 or > 4 || !CommonSurnames.Contains(trimmed[0]) || PlaceEndings.Contains(trimmed[^1]))
        {
            return false;
        }
        foreach (var c in trimmed)
        {
            if (c is < '\u4E00' or > '\u9FFF')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A house number (12号, 3弄, 501室) or a city with its district or county (宁波市海曙区).</summary>
    internal static bool LooksLikeAddress(string text) => HouseNumber().IsMatch(text) || CityDistrict().IsMatch(text);

    [GeneratedRegex(@"\d+\s*(号|弄|室|栋|幢|号楼)")]
    private static partial Regex HouseNumber();

    [GeneratedRegex("市.{1,8}?(区|县)")]
    private static partial Regex CityDistrict();

    [GeneratedRegex(@"^\s*-?\d{1,2}\.\d{2,},\s*-?\d{1,3}\.\d{2,}\s*$")]
    private static partial Regex Point();
}
