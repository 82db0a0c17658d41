using OpenData.Platform.Datasets;

namespace OpenData.Sandbox.Twins;

/// <summary>
/// Pass 1 of a twin: reads every real row of a version once and keeps only statistics — counts, hashes of values and of rows,
/// a sample of rows for the distance check — never a value it could hand on except categories (see docs/sandbox.md).
/// </summary>
internal sealed class TwinProfiler
{
    /// <summary>Real rows kept, as keys, for the distance-to-closest-record check: the reference and the holdout.</summary>
    public const int ReferenceRows = 5000;

    public const int HoldoutRows = 1000;

    private const long ReservoirSeed = 0x5EED_0F_7717;

    private readonly TwinSettings _settings;
    private readonly ColumnProfile[] _columns;
    private readonly ColumnType[] _types;
    private readonly TwinRandom _random = new(ReservoirSeed);
    private readonly HashSet64 _rowHashes = new();
    private readonly HashSet64 _repeatedHashes = new();
    private readonly List<ulong[]> _sample = [];
    private readonly ulong[] _keys;
    private long _rows;
    private long _duplicates;
    private bool _completed;

    public TwinProfiler(IReadOnlyList<ColumnDefinition> columns, TwinSettings settings)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _columns = new ColumnProfile[columns.Count];
        _types = new ColumnType[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            _columns[i] = new ColumnProfile(i, columns[i], ModelOf(columns[i]));
            _types[i] = columns[i].Type;
        }
        _keys = new ulong[columns.Count];
    }

    /// <summary>How a column's twin values are made, from its tag and type (an unknown tag on text: free text; on others: by type).</summary>
    public static TwinModel ModelOf(ColumnDefinition column)
    {
        var tag = column.Tag is "public" ? null : column.Tag;
        if (column.Type == ColumnType.String)
        {
            return tag switch
            {
                null => TwinModel.Categories,
                "pii.name" => TwinModel.Name,
                "pii.phone" => TwinModel.Mobile,
                "pii.id_card" => TwinModel.IdCard,
                "pii.address" => TwinModel.Address,
                "pii.email" => TwinModel.Email,
                "pii.bank_card" => TwinModel.BankCard,
                "geo.point" => TwinModel.Point,
                "person.gender" or "geo.district" => TwinModel.Categories,
                "date.birth" => TwinModel.Histogram,
                _ => TwinModel.Text,
            };
        }
        return column.Type == ColumnType.Boolean ? TwinModel.Boolean : TwinModel.Histogram;
    }

    /// <summary>One real row, cells in column order. The array may be reused by the caller: nothing of it is kept.</summary>
    public void Observe(object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (_completed)
        {
            throw new InvalidOperationException("The profile is complete; a profiler reads one pass of rows.");
        }
        if (cells.Length != _columns.Length)
        {
            throw new ArgumentException($"A row has {_columns.Length} cells, one a column; this one has {cells.Length}.", nameof(cells));
        }
        var rowHash = 0x9E37_79B9_7F4A_7C15UL;
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i];
            _columns[i].Observe(cell, _random);
            var key = TwinCells.Key(cell, _types[i]);
            _keys[i] = key;
            rowHash = ValueHash.Combine(rowHash, key);
        }
        if (!_rowHashes.Add(rowHash))
        {
            _duplicates++;
            _repeatedHashes.Add(rowHash);
        }
        _rows++;
        // A reservoir of rows (Algorithm R) for the distance check; only keys, never the cells.
        const int size = ReferenceRows + HoldoutRows;
        var slot = _sample.Count < size ? _sample.Count : _random.NextLong(_rows);
        if (slot < size)
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

    public TwinProfile Complete()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The profile is complete already.");
        }
        _completed = true;
        foreach (var column in _columns)
        {
            column.Complete(_settings);
        }
        var associations = Associate();
        foreach (var column in _columns)
        {
            column.Release();
        }
        // The sample is shuffled (it is in reservoir order), then split: a sixth held out, the rest the reference.
        var sample = _sample.ToArray();
        for (var i = sample.Length - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (sample[i], sample[j]) = (sample[j], sample[i]);
        }
        var holdout = Math.Min(HoldoutRows, sample.Length / 6);
        return new TwinProfile(_settings, _columns, _rows, _rowHashes, _duplicates + _repeatedHashes.Count, sample[holdout..], sample[..holdout], associations);
    }

    /// <summary>
    /// Cramér's V of every pair of categorical columns; each such column is then sampled conditionally on the earlier column it is most
    /// associated with (V at least 0.05), so a county column follows its city column and a category follows its district.
    /// </summary>
    private List<TwinAssociation> Associate()
    {
        var associations = new List<TwinAssociation>();
        for (var j = 0; j < _columns.Length; j++)
        {
            var child = _columns[j];
            if (child.Model != TwinModel.Categories || child.LocalRows is null)
            {
                continue;
            }
            var best = 0.05;
            for (var i = 0; i < j; i++)
            {
                var parent = _columns[i];
                if (parent.Model != TwinModel.Categories || parent.LocalRows is null || (long)parent.Kept.Length * child.Kept.Length > Contingency.MaxCells)
                {
                    continue;
                }
                var table = Contingency.Count(parent.LocalRows, child.LocalRows, parent.Kept.Length, child.Kept.Length, (int)_rows);
                var v = Contingency.CramersV(table, parent.Kept.Length, child.Kept.Length);
                associations.Add(new TwinAssociation(i, j, v));
                if (v >= best)
                {
                    best = v;
                    child.Parent = i;
                    child.Joint = table;
                }
            }
        }
        return associations;
    }
}
