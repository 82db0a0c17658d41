using System.Globalization;
using OpenData.Platform.Datasets;

namespace OpenData.Sandbox.Twins;

/// <summary>
/// Pass 3 of a twin: reads every twin row once and compares it with the real rows' profile — per column a distribution distance and
/// the NULL shares, per pair of categorical columns the association, and the privacy checks (value overlap, copied rows, distance to
/// closest record). See docs/sandbox.md, "Fidelity and privacy report".
/// </summary>
internal sealed class TwinAssessor
{
    /// <summary>Twin rows sampled for the distance-to-closest-record check.</summary>
    public const int SampledRows = 1000;

    /// <summary>A distance, a NULL share or an association farther than this from the real one is named in the warnings.</summary>
    public const double WarnAt = 0.1;

    /// <summary>The twin's 5th percentile of distance to the closest real row may not be below this share of the real rows' own.</summary>
    public const double DistanceFloor = 0.8;

    private readonly TwinProfile _profile;
    private readonly long? _seed;
    private readonly ColumnProfile[] _columns;
    private readonly ColumnType[] _types;
    private readonly long[] _nulls;
    private readonly long[] _overlap;
    private readonly long[] _values;
    private readonly long[][] _categoryCounts;
    private readonly int[]?[] _locals;
    private readonly double[][] _numbers;
    private readonly int[] _numberCounts;
    private readonly long[] _trues;
    private readonly Tally[] _primary;
    private readonly Tally[] _secondary;
    private readonly ulong[] _keys;
    private readonly List<ulong[]> _sample = [];
    private readonly TwinRandom _random = new(0x7A55_E550);
    private long _rows;
    private long _copies;

    public TwinAssessor(TwinProfile profile, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _profile = profile;
        _seed = seed;
        _columns = [.. profile.Columns];
        var n = _columns.Length;
        _types = new ColumnType[n];
        _nulls = new long[n];
        _overlap = new long[n];
        _values = new long[n];
        _categoryCounts = new long[n][];
        _locals = new int[]?[n];
        _numbers = new double[n][];
        _numberCounts = new int[n];
        _trues = new long[n];
        _primary = new Tally[n];
        _secondary = new Tally[n];
        _keys = new ulong[n];
        var paired = new bool[n];
        foreach (var pair in profile.Associations)
        {
            paired[pair.First] = paired[pair.Second] = true;
        }
        for (var i = 0; i < n; i++)
        {
            var column = _columns[i];
            _types[i] = column.Type;
            // The last slot counts values that are no kept category (there should be none).
            _categoryCounts[i] = new long[column.Kept.Length + 1];
            _locals[i] = paired[i] ? new int[1024] : null;
            _numbers[i] = column.Model == TwinModel.Histogram ? new double[1024] : [];
            _primary[i] = new Tally();
            _secondary[i] = new Tally();
        }
    }

    /// <summary>One twin row, cells in column order (the array may be reused by the caller).</summary>
    public void Observe(object?[] twinCells)
    {
        ArgumentNullException.ThrowIfNull(twinCells);
        if (twinCells.Length != _columns.Length)
        {
            throw new ArgumentException($"A row has {_columns.Length} cells, one a column; this one has {twinCells.Length}.", nameof(twinCells));
        }
        var row = _rows;
        var rowHash = 0x9E37_79B9_7F4A_7C15UL;
        for (var i = 0; i < twinCells.Length; i++)
        {
            var cell = twinCells[i];
            var key = TwinCells.Key(cell, _types[i]);
            _keys[i] = key;
            rowHash = ValueHash.Combine(rowHash, key);
            ObserveCell(i, cell, row);
        }
        if (_profile.RowHashes.Contains(rowHash))
        {
            _copies++;
        }
        _rows++;
        var slot = _sample.Count < SampledRows ? _sample.Count : _random.NextLong(_rows);
        if (slot < SampledRows)
        {
            var copy = (ulong[])_keys.Clone();
            if (slot == _sample.Count)
            {
                _sample.Add(copy);
            }
            else
            {
                _sample[(int)slot] = copy;
            }
        }
    }

    private void ObserveCell(int i, object? cell, long row)
    {
        var column = _columns[i];
        if (column.Model == TwinModel.Categories)
        {
            var local = column.LocalOf(cell as string ?? (cell is null ? null : Convert.ToString(cell, CultureInfo.InvariantCulture)));
            var counts = _categoryCounts[i];
            counts[local < 0 ? counts.Length - 1 : local]++;
            if (local == 0)
            {
                _nulls[i]++;
            }
            if (_locals[i] is { } locals)
            {
                if (row >= locals.Length)
                {
                    Array.Resize(ref locals, locals.Length * 2);
                    _locals[i] = locals;
                }
                locals[row] = local;
            }
            return;
        }
        if (cell is null || cell is string { Length: 0 })
        {
            _nulls[i]++;
            return;
        }
        switch (column.Model)
        {
            case TwinModel.Histogram:
                double number;
                if (column.DateAsText)
                {
                    if (!DateOnly.TryParseExact(cell as string, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        return;
                    }
                    number = date.DayNumber;
                }
                else
                {
                    number = TwinCells.ToNumber(cell, column.Type);
                }
                if (_numberCounts[i] == _numbers[i].Length)
                {
                    Array.Resize(ref _numbers[i], _numbers[i].Length * 2);
                }
                _numbers[i][_numberCounts[i]++] = number;
                return;
            case TwinModel.Boolean:
                if (cell is true)
                {
                    _trues[i]++;
                }
                _values[i]++;
                return;
        }
        var text = cell as string ?? Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "";
        _values[i]++;
        if (column.RealHashes is { } hashes && hashes.Contains(ValueHash.Of(text)))
        {
            _overlap[i]++;
        }
        TwinKeys.Add(column.Model, text, _primary[i], _secondary[i]);
    }

    public TwinReport Complete()
    {
        var failures = new List<string>();
        var warnings = new List<string>();
        var columns = new List<TwinColumnReport>(_columns.Length);
        var overlap = new List<TwinOverlapReport>();
        foreach (var column in _columns)
        {
            columns.Add(ColumnReport(column, warnings));
            if (column.HighCardinality && column.Type == ColumnType.String)
            {
                var i = column.Index;
                overlap.Add(new TwinOverlapReport(column.Name, _values[i], _overlap[i]));
                if (_overlap[i] > 0)
                {
                    failures.Add(string.Create(CultureInfo.InvariantCulture,
                        $"Overlap: {_overlap[i]} twin value(s) of column '{column.Name}' equal a real value of it; a high-cardinality column may share none."));
                }
            }
        }
        var pairs = Pairs(warnings);
        var copies = Copies(failures);
        var distance = Distance(failures);
        var privacyPassed = failures.Count == 0;
        return new TwinReport(privacyPassed, failures, warnings, _seed, _profile.Rows, _rows, columns, pairs,
            new TwinPrivacyReport(privacyPassed, overlap, copies, distance));
    }

    private TwinColumnReport ColumnReport(ColumnProfile column, List<string> warnings)
    {
        var i = column.Index;
        var realRows = Math.Max(1, _profile.Rows);
        var realNull = (double)column.Nulls / realRows;
        var twinNull = _rows == 0 ? 0 : (double)_nulls[i] / _rows;
        string? measure = null;
        double? distance = null;
        switch (column.Model)
        {
            case TwinModel.Categories:
                measure = "totalVariation";
                distance = CategoryDistance(column, _categoryCounts[i]);
                break;
            case TwinModel.Histogram:
                measure = "kolmogorovSmirnov";
                var twin = _numbers[i].AsSpan(0, _numberCounts[i]).ToArray();
                Array.Sort(twin);
                distance = KolmogorovSmirnov(column.Sorted, twin);
                break;
            case TwinModel.Boolean:
                measure = "shareDifference";
                var twinValues = _rows - _nulls[i];
                distance = Math.Abs((column.NonNull == 0 ? 0 : (double)column.Trues / column.NonNull) - (twinValues == 0 ? 0 : (double)_trues[i] / twinValues));
                break;
            default:
                if (TwinKeys.Describe(column.Model) is not null && column.Primary.Total > 0)
                {
                    measure = "totalVariation";
                    distance = column.Primary.Distance(_primary[i]);
                    if (column.Secondary.Total > 0)
                    {
                        distance = Math.Max(distance.Value, column.Secondary.Distance(_secondary[i]));
                    }
                }
                break;
        }
        if (distance > WarnAt)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Column '{column.Name}': its distribution is {distance:0.###} away from the real one ({measure})."));
        }
        if (Math.Abs(realNull - twinNull) > WarnAt)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Column '{column.Name}': {twinNull:P1} of twin cells are NULL, against {realNull:P1} of real ones."));
        }
        return new TwinColumnReport(column.Name, column.Type.ToString().ToLowerInvariant(), column.Tag, column.Kind, Camel(column.Model),
            measure, measure is null ? null : TwinKeys.Describe(column.Model), distance is { } d ? Math.Round(d, 4) : null,
            Math.Round(realNull, 4), Math.Round(twinNull, 4),
            column.Model == TwinModel.Categories ? Math.Max(0, column.Kept.Length - 1) : 0, column.DroppedCategories, column.HighCardinality);
    }

    private static string Camel(TwinModel model)
    {
        var name = model.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>Total variation over the non-NULL values: the real rows' dropped categories and any twin value that is no kept category each a bucket of their own.</summary>
    private static double CategoryDistance(ColumnProfile column, long[] twin)
    {
        var realTotal = (double)column.DroppedRows;
        for (var c = 1; c < column.KeptCounts.Length; c++)
        {
            realTotal += column.KeptCounts[c];
        }
        var twinTotal = 0.0;
        for (var c = 1; c < twin.Length; c++)
        {
            twinTotal += twin[c];
        }
        if (realTotal == 0 || twinTotal == 0)
        {
            return realTotal == twinTotal ? 0 : 1;
        }
        var sum = (column.DroppedRows / realTotal) + (twin[^1] / twinTotal);
        for (var c = 1; c < column.KeptCounts.Length; c++)
        {
            sum += Math.Abs((column.KeptCounts[c] / realTotal) - (twin[c] / twinTotal));
        }
        return sum / 2;
    }

    /// <summary>The largest gap between the two empirical distribution functions (both arrays sorted).</summary>
    public static double KolmogorovSmirnov(double[] real, double[] twin)
    {
        if (real.Length == 0 || twin.Length == 0)
        {
            return real.Length == twin.Length ? 0 : 1;
        }
        int i = 0, j = 0;
        var d = 0.0;
        while (i < real.Length && j < twin.Length)
        {
            var x = Math.Min(real[i], twin[j]);
            while (i < real.Length && real[i] <= x)
            {
                i++;
            }
            while (j < twin.Length && twin[j] <= x)
            {
                j++;
            }
            d = Math.Max(d, Math.Abs(((double)i / real.Length) - ((double)j / twin.Length)));
        }
        return d;
    }

    private List<TwinPairReport> Pairs(List<string> warnings)
    {
        var pairs = new List<TwinPairReport>();
        foreach (var association in _profile.Associations)
        {
            var first = _columns[association.First];
            var second = _columns[association.Second];
            double twin = 0;
            if (_locals[association.First] is { } a && _locals[association.Second] is { } b && _rows > 0)
            {
                var table = Contingency.Count(a, b, first.Kept.Length, second.Kept.Length, (int)Math.Min(_rows, a.Length));
                twin = Contingency.CramersV(table, first.Kept.Length, second.Kept.Length);
            }
            var difference = Math.Abs(twin - association.CramersV);
            pairs.Add(new TwinPairReport(first.Name, second.Name, Math.Round(association.CramersV, 4), Math.Round(twin, 4), Math.Round(difference, 4)));
            if (difference > WarnAt)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Columns '{first.Name}' and '{second.Name}': their association is {twin:0.###} in the twin against {association.CramersV:0.###} in the real rows."));
            }
        }
        return pairs;
    }

    private TwinCopyReport Copies(List<string> failures)
    {
        var realShare = _profile.Rows == 0 ? 0 : (double)_profile.RepeatedRows / _profile.Rows;
        var twinShare = _rows == 0 ? 0 : (double)_copies / _rows;
        // Three standard errors of the real share at the twin's size, and a tenth of a percent: chance alone stays inside.
        var margin = 0.001 + (3 * Math.Sqrt(realShare * (1 - realShare) / Math.Max(1, _rows)));
        var passed = twinShare <= realShare + margin;
        if (!passed)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Copies: {_copies} twin row(s) ({twinShare:P2}) equal a real row in every column, more than real rows repeat one another ({realShare:P2})."));
        }
        return new TwinCopyReport(_copies, Math.Round(twinShare, 6), Math.Round(realShare, 6), Math.Round(margin, 6), passed);
    }

    private TwinDistanceReport Distance(List<string> failures)
    {
        var reference = _profile.Reference;
        var holdout = _profile.Holdout;
        var twin = _sample.ToArray();
        if (holdout.Length < 20 || twin.Length < 20 || reference.Length < 20)
        {
            return new TwinDistanceReport(false, reference.Length, holdout.Length, twin.Length, 0, 0, 0, 0, true);
        }
        var real = Closest(holdout, reference);
        var made = Closest(twin, reference);
        var realP5 = Percentile(real, 0.05);
        var twinP5 = Percentile(made, 0.05);
        var passed = twinP5 >= DistanceFloor * realP5;
        if (!passed)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Distance to closest record: the closest 5% of twin rows lie within {twinP5:0.###} of a real row, nearer than real rows lie to one another ({realP5:0.###}; the floor is {DistanceFloor} of it)."));
        }
        return new TwinDistanceReport(true, reference.Length, holdout.Length, twin.Length, Math.Round(realP5, 4), Math.Round(twinP5, 4),
            Math.Round(Percentile(real, 0.5), 4), Math.Round(Percentile(made, 0.5), 4), passed);
    }

    private double[] Closest(ulong[][] rows, ulong[][] reference)
    {
        var n = _columns.Length;
        var ranges = new double[n];
        for (var c = 0; c < n; c++)
        {
            var column = _columns[c];
            // Numbers and dates by how far apart they are over the column's range; everything else equal or not.
            ranges[c] = column.Model == TwinModel.Histogram && !column.DateAsText && column.Max > column.Min ? column.Max - column.Min : 0;
        }
        var result = new double[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            var row = rows[r];
            var best = double.MaxValue;
            foreach (var other in reference)
            {
                var sum = 0.0;
                for (var c = 0; c < n && sum < best; c++)
                {
                    var a = row[c];
                    var b = other[c];
                    if (a == b)
                    {
                        continue;
                    }
                    if (ranges[c] > 0 && a != TwinCells.NullKey && b != TwinCells.NullKey)
                    {
                        sum += Math.Min(1, Math.Abs(BitConverter.UInt64BitsToDouble(a) - BitConverter.UInt64BitsToDouble(b)) / ranges[c]);
                    }
                    else
                    {
                        sum += 1;
                    }
                }
                if (sum < best)
                {
                    best = sum;
                    if (best == 0)
                    {
                        break;
                    }
                }
            }
            result[r] = best / n;
        }
        Array.Sort(result);
        return result;
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(p * sorted.Length))];
}
