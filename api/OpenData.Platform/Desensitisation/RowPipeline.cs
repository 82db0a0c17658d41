using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation.Transforms;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// Applies a view to each row as it streams: the column's transform, then the outbound check on every cell the caller does not
/// see in clear by right. One pipeline serves one read (it counts what it masked), so it is not shared between requests.
/// </summary>
internal sealed class RowPipeline : IRowTransform, IDisposable
{
    private readonly IReadOnlyList<ColumnDefinition> _columns;
    private readonly Func<object, object?>?[] _transforms;
    private readonly bool[] _scan;
    private readonly int[] _leaks;

    // The outbound check remembers, per column, the last text it found nothing in, and per pair of neighbouring columns the
    // last pair it judged with what it made of it: the same text in the next row (a district, a code, a category, row after
    // row) is known without scanning it again. A remembered mask is counted again each time it is used, as a scan would.
    private readonly string?[] _cleanCell;
    private readonly SplitMemo[] _splits;

    /// <summary>The last pair of neighbouring cells the split check judged, what it left of them and what it counted.</summary>
    private sealed class SplitMemo
    {
        public string? Left;
        public string? Right;
        public string? LeftOut;
        public string? RightOut;
        public int[]? Counted;
    }
    private readonly Dictionary<(string? Linkage, int Capacity), Pseudonymiser> _pseudonymisers = [];
    private static readonly int Kinds = Enum.GetValues<PiiKind>().Length;

    internal RowPipeline(IReadOnlyList<ColumnDefinition> columns, ColumnRule[] rules, Func<ColumnRule, Pseudonymiser>? pseudonymisers, Synthesis? synthesis)
    {
        _columns = columns;
        _transforms = new Func<object, object?>?[rules.Length];
        _scan = new bool[rules.Length];
        _leaks = new int[rules.Length * Kinds];
        _cleanCell = new string?[rules.Length];
        _splits = new SplitMemo[rules.Length];
        for (var i = 0; i < rules.Length; i++)
        {
            _splits[i] = new SplitMemo();
        }
        for (var i = 0; i < rules.Length; i++)
        {
            var pseudonymiser = rules[i].Transform.Kind == TransformKind.Pseudonymise && pseudonymisers is not null ? PseudonymiserFor(rules[i], pseudonymisers) : null;
            _transforms[i] = Compile(columns[i], rules[i].Transform, pseudonymiser, synthesis);
            _scan[i] = rules[i].Scan;
        }
    }

    /// <summary>One pseudonymiser per key scope and capacity: columns in a linkage domain and columns keyed by the dataset may mix in one read.</summary>
    private Pseudonymiser PseudonymiserFor(ColumnRule rule, Func<ColumnRule, Pseudonymiser> make)
    {
        var key = (rule.Linkage, rule.Transform.TokenBytes);
        if (!_pseudonymisers.TryGetValue(key, out var pseudonymiser))
        {
            pseudonymiser = make(rule);
            _pseudonymisers[key] = pseudonymiser;
        }
        return pseudonymiser;
    }

    private static Func<object, object?>? Compile(ColumnDefinition column, TransformSpec spec, Pseudonymiser? pseudonymiser, Synthesis? synthesis) => spec.Kind switch
    {
        TransformKind.Clear => null,
        TransformKind.Hidden => _ => null,
        TransformKind.Constant => _ => spec.Value,
        TransformKind.Mask when spec.Email => v => Masking.MaskEmail(Text(v)),
        TransformKind.Mask => v => Masking.Mask(Text(v), spec.KeepFirst, spec.KeepLast, spec.Stars),
        TransformKind.Generalise => spec.To switch
        {
            GeneraliseTo.Year => Generalisation.Year,
            GeneraliseTo.Month => Generalisation.Month,
            GeneraliseTo.Band => v => Generalisation.Band(v, spec.Step),
            GeneraliseTo.Grid => v => Generalisation.Grid(v, spec.Step),
            _ => Generalisation.District,
        },
        TransformKind.Pseudonymise when pseudonymiser is not null => v => pseudonymiser.Protect(Text(v)),
        TransformKind.Synthetic when synthesis is not null => v => synthesis.Make(column.Tag ?? "", column.Type, v),
        // Without the key a pseudonym or a fake needs, nothing of the value leaves.
        _ => _ => null,
    };

    private static string Text(object value) => Datasets.CellFormat.Text(value) ?? "";

    public void Apply(object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        for (var i = 0; i < cells.Length; i++)
        {
            var value = cells[i];
            if (value is null)
            {
                continue;
            }
            if (_transforms[i] is { } transform)
            {
                value = transform(value);
            }
            if (_scan[i])
            {
                if (value is string text)
                {
                    if (!string.Equals(text, _cleanCell[i], StringComparison.Ordinal))
                    {
                        var masked = PiiScanner.Mask(text, _leaks.AsSpan(i * Kinds, Kinds));
                        _cleanCell[i] = masked is null ? text : null;
                        value = masked ?? text;
                    }
                }
                else if (PiiScanner.NumberText(value) is { } asText)
                {
                    // A phone or card number stored as a number leaks as surely as text: a hit leaves as masked text.
                    if (PiiScanner.Mask(asText, _leaks.AsSpan(i * Kinds, Kinds)) is { } masked)
                    {
                        value = masked;
                    }
                }
            }
            cells[i] = value;
        }
        // A number split across two neighbouring scanned cells (138 1234 | 5678) leaks as surely as a whole one.
        Span<int> before = stackalloc int[Kinds];
        for (var i = 0; i + 1 < cells.Length; i++)
        {
            if (!_scan[i] || !_scan[i + 1] || cells[i] is not string left || cells[i + 1] is not string right || left.Length == 0 || right.Length == 0)
            {
                continue;
            }
            var memo = _splits[i];
            var counts = _leaks.AsSpan(i * Kinds, Kinds);
            if (string.Equals(left, memo.Left, StringComparison.Ordinal) && string.Equals(right, memo.Right, StringComparison.Ordinal))
            {
                if (memo.Counted is { } counted)
                {
                    for (var k = 0; k < Kinds; k++)
                    {
                        counts[k] += counted[k];
                    }
                    cells[i] = memo.LeftOut;
                    cells[i + 1] = memo.RightOut;
                }
                continue;
            }
            (memo.Left, memo.Right) = (left, right);
            counts.CopyTo(before);
            if (PiiScanner.MaskSplit(ref left, ref right, counts))
            {
                cells[i] = left;
                cells[i + 1] = right;
                (memo.LeftOut, memo.RightOut) = (left, right);
                memo.Counted = new int[Kinds];
                for (var k = 0; k < Kinds; k++)
                {
                    memo.Counted[k] = counts[k] - before[k];
                }
            }
            else
            {
                (memo.LeftOut, memo.RightOut, memo.Counted) = (null, null, null);
            }
        }
    }

    /// <summary>What the outbound check masked so far, per column and kind.</summary>
    public IReadOnlyList<LeakCount> Leaks
    {
        get
        {
            var leaks = new List<LeakCount>();
            for (var i = 0; i < _scan.Length; i++)
            {
                for (var k = 0; k < Kinds; k++)
                {
                    if (_leaks[(i * Kinds) + k] > 0)
                    {
                        leaks.Add(new LeakCount(_columns[i].Name, (PiiKind)k, _leaks[(i * Kinds) + k]));
                    }
                }
            }
            return leaks;
        }
    }

    public void Dispose()
    {
        foreach (var pseudonymiser in _pseudonymisers.Values)
        {
            pseudonymiser.Dispose();
        }
        _pseudonymisers.Clear();
    }
}
