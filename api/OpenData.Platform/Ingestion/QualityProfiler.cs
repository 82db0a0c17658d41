using System.Globalization;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Ingestion;

/// <summary>
/// Counts what the data-quality report says of each column while the loader reads the rows: it sees each checked row's parsed
/// values once, so the hot path is a null test, a hash-set add until the column reaches the distinct cap, and a comparison.
/// </summary>
internal sealed class QualityProfiler
{
    /// <summary>Distinct values are counted exactly up to this many per column; more is reported as "at least".</summary>
    public const int DistinctCap = 10_000;

    /// <summary>Below this many rows a scan is as fast as an index: no index is suggested.</summary>
    public const long IndexRowsFloor = 1_000;

    /// <summary>With fewer distinct values, one value selects more than a twentieth of the rows, which a scan reads as fast.</summary>
    public const long IndexDistinctFloor = 20;

    /// <summary>Longer texts are names or descriptions, not codes.</summary>
    public const int IndexCodeLength = 32;

    private readonly DatasetSchema _dataset;
    private readonly Column[] _columns;
    private long _rows;

    public QualityProfiler(DatasetSchema dataset)
    {
        _dataset = dataset;
        _columns = dataset.Columns.Select(c => new Column(c.Type)).ToArray();
    }

    /// <summary>Looks at one checked row (values in declared column order).</summary>
    public void Observe(object?[] values)
    {
        _rows++;
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].Observe(values[i]);
        }
    }

    /// <summary>The report, with the tags the profiler suggests per column.</summary>
    public QualityReport Report(long rowsLoaded, IEnumerable<Desensitisation.TagSuggestion> suggestions)
    {
        var suggested = suggestions.GroupBy(s => s.Column, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(s => s.Tag).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var columns = new List<ColumnQuality>(_columns.Length);
        for (var i = 0; i < _columns.Length; i++)
        {
            var definition = _dataset.Columns[i];
            var c = _columns[i];
            columns.Add(new ColumnQuality(definition.Name, ColumnTypes.Name(definition.Type), c.Empty,
                _rows == 0 ? 0 : Math.Round((double)c.Empty / _rows, 4), c.DistinctCount, !c.Capped,
                Format(c.Min), Format(c.Max), c.Shortest, c.Longest, definition.Tag, suggested.GetValueOrDefault(definition.Name) ?? [])
            {
                Indexed = definition.Indexed,
                SuggestIndex = !definition.Indexed && SuggestsIndex(definition.Type, _rows, c.DistinctCount, !c.Capped, c.Longest),
            });
        }
        return new QualityReport(rowsLoaded, _rows, DistinctCap, columns);
    }

    /// <summary>
    /// Whether a column looks like a code that filters select rows by, worth an index: a text of at most
    /// <see cref="IndexCodeLength"/> characters, an integer or a date, in an upload of at least <see cref="IndexRowsFloor"/> rows,
    /// with between <see cref="IndexDistinctFloor"/> and <see cref="DistinctCap"/> distinct values (counted exactly), so one
    /// value selects a small share of the rows. (Area codes of the 620k villages: about 3,000 values, 200 rows each.)
    /// </summary>
    public static bool SuggestsIndex(ColumnType type, long rows, long distinct, bool distinctExact, int? longest) =>
        type is ColumnType.String or ColumnType.Integer or ColumnType.Date
        && rows >= IndexRowsFloor
        && distinctExact && distinct >= IndexDistinctFloor
        && (type != ColumnType.String || longest <= IndexCodeLength);

    private static string? Format(object? value) => value switch
    {
        null => null,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private sealed class Column(ColumnType type)
    {
        private HashSet<object>? _distinct = [];
        private object? _last;

        public long Empty { get; private set; }

        public bool Capped { get; private set; }

        public long DistinctCount { get; private set; }

        public object? Min { get; private set; }

        public object? Max { get; private set; }

        public int? Shortest { get; private set; }

        public int? Longest { get; private set; }

        public void Observe(object? value)
        {
            if (value is null)
            {
                Empty++;
                return;
            }
            if (ReferenceEquals(value, _last))
            {
                // The very value of the row before (the loader hands a repeated text over as the same string): counted already.
                return;
            }
            _last = value;
            if (_distinct is not null && _distinct.Add(value))
            {
                DistinctCount = _distinct.Count;
                if (DistinctCount >= DistinctCap)
                {
                    // Enough to say "at least the cap": the set's memory and its hashing stop here.
                    Capped = true;
                    _distinct = null;
                }
            }
            if (type == ColumnType.String)
            {
                var length = ((string)value).Length;
                if (Shortest is null || length < Shortest)
                {
                    Shortest = length;
                }
                if (Longest is null || length > Longest)
                {
                    Longest = length;
                }
                return;
            }
            var comparable = (IComparable)value;
            if (Min is null || comparable.CompareTo(Min) < 0)
            {
                Min = value;
            }
            if (Max is null || comparable.CompareTo(Max) > 0)
            {
                Max = value;
            }
        }
    }
}
