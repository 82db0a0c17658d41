using System.Globalization;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// Reads every cell of an upload's untagged text and number columns with the outbound check's recogniser, so that a column
/// holding even one ID-card, phone, bank-card number or e-mail address becomes suspected (not filterable by callers) before its
/// version is published. The profiler samples; this looks at every row, because one value is enough to be recovered digit by
/// digit through a filter.
/// </summary>
public sealed class SuspicionScan
{
    private const long SmallestScannedNumber = 10_000_000_000;

    private readonly DatasetSchema _dataset;
    private readonly int[] _positions;
    private readonly int[] _found;

    public SuspicionScan(DatasetSchema dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        _dataset = dataset;
        _positions = dataset.Columns
            .Where(c => c.Tag is null && c.Type is ColumnType.String or ColumnType.Integer or ColumnType.Decimal)
            .Select(c => c.Position).ToArray();
        _found = new int[_positions.Length];
    }

    /// <summary>Looks at one parsed row (values in declared column order).</summary>
    public void Observe(object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        for (var i = 0; i < _positions.Length; i++)
        {
            var text = values[_positions[i]] switch
            {
                string s => s,
                long n when n >= SmallestScannedNumber || n <= -SmallestScannedNumber => n.ToString(CultureInfo.InvariantCulture),
                decimal m when Math.Abs(m) >= SmallestScannedNumber => decimal.Truncate(m).ToString(CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is null || !PiiScanner.MightHold(text))
            {
                continue;
            }
            foreach (var match in PiiScanner.Find(text))
            {
                _found[i] |= 1 << (int)match.Kind;
            }
        }
    }

    /// <summary>
    /// The untagged columns to suspect, with the reason: the kinds of values found in them, and the tags the profiler suggests
    /// (a suggestion means the column looks personal even where no number is checkable, such as names or addresses).
    /// </summary>
    public IReadOnlyList<(int Position, string Reason)> Suspicions(IReadOnlyList<TagSuggestion> suggestions)
    {
        ArgumentNullException.ThrowIfNull(suggestions);
        var reasons = new SortedDictionary<int, List<string>>();
        for (var i = 0; i < _positions.Length; i++)
        {
            foreach (var kind in Enum.GetValues<PiiKind>())
            {
                if ((_found[i] & (1 << (int)kind)) != 0)
                {
                    Add(reasons, _positions[i], "found:" + kind.ToString().ToLowerInvariant());
                }
            }
        }
        foreach (var suggestion in suggestions)
        {
            if (_dataset.FindColumn(suggestion.Column) is { Tag: null } column)
            {
                Add(reasons, column.Position, "suggested:" + suggestion.Tag);
            }
        }
        return reasons.Select(r => (r.Key, string.Join(' ', r.Value.Distinct()))).ToList();
    }

    private static void Add(SortedDictionary<int, List<string>> reasons, int position, string reason)
    {
        if (!reasons.TryGetValue(position, out var list))
        {
            reasons[position] = list = [];
        }
        list.Add(reason);
    }
}
