using System.Globalization;
using OpenData.Platform.Datasets;

namespace OpenData.Sandbox.Twins;

/// <summary>
/// What the profiler learned about one real column: its null count, the hashes of its values (never the strings, except the
/// category values of a categorical column, held in memory only) and the statistics its <see cref="TwinModel"/> samples from.
/// </summary>
internal sealed class ColumnProfile
{
    /// <summary>A string column with more distinct values than this is never categorical.</summary>
    public const int MaxCategories = 5000;

    /// <summary>…nor one whose distinct values are more than this share of its non-null values (unless there are at most 20).</summary>
    public const double MaxCategoryShare = 0.2;

    private const int ShapeReservoir = 256;

    internal ColumnProfile(int index, ColumnDefinition column, TwinModel model)
    {
        Index = index;
        Column = column;
        Model = model;
        Tag = column.Tag is { Length: > 0 } tag && tag != "public" ? tag : null;
        if (column.Type == ColumnType.String)
        {
            RealHashes = new HashSet64();
        }
        if (model == TwinModel.Categories)
        {
            _codeOf = new Dictionary<string, int>(StringComparer.Ordinal);
            _codes = new ushort[1024];
        }
    }

    public int Index { get; }

    public ColumnDefinition Column { get; }

    public string Name => Column.Name;

    public ColumnType Type => Column.Type;

    /// <summary>The personal tag (not <c>public</c>), or null.</summary>
    public string? Tag { get; }

    public TwinModel Model { get; private set; }

    /// <summary>The report's kind: personal (a personal tag), categorical, numeric, date, text or boolean.</summary>
    public string Kind => Tag is not null ? "personal" : Model switch
    {
        TwinModel.Categories => "categorical",
        TwinModel.Boolean => "boolean",
        TwinModel.Histogram => Type is ColumnType.Date or ColumnType.Datetime ? "date" : "numeric",
        _ => "text",
    };

    /// <summary>True when no twin value may equal a real one: identifying personal columns and free text or codes.</summary>
    public bool HighCardinality => Model is TwinModel.Text or TwinModel.Name or TwinModel.Mobile or TwinModel.IdCard or TwinModel.Address
        or TwinModel.Email or TwinModel.BankCard or TwinModel.Point or TwinModel.CreditCode;

    /// <summary>A <c>date.birth</c> column stored as text (yyyy-MM-dd): profiled and made as a date, written back as text.</summary>
    public bool DateAsText => Type == ColumnType.String && Model == TwinModel.Histogram;

    public long Nulls { get; private set; }

    public long NonNull { get; private set; }

    /// <summary>Hashes of every distinct real value of a string column (the overlap check and the generator's collision test).</summary>
    public HashSet64? RealHashes { get; }

    // ---- categories ----------------------------------------------------------------------------------------------------
    private Dictionary<string, int>? _codeOf;
    private readonly List<string> _values = [];
    private long[] _valueCounts = new long[16];
    private ushort[]? _codes;
    private int _rows;

    /// <summary>Category values kept (seen at least k times); index 0 stands for NULL and holds null.</summary>
    public string?[] Kept { get; private set; } = [];

    /// <summary>Real rows per kept category (index 0 the NULLs), rows with a dropped category left out.</summary>
    public long[] KeptCounts { get; private set; } = [];

    /// <summary>How many distinct values were dropped as rare (seen fewer than k times), and how many rows held them.</summary>
    public int DroppedCategories { get; private set; }

    public long DroppedRows { get; private set; }

    /// <summary>The earlier categorical column this one is sampled conditionally on, or -1.</summary>
    public int Parent { get; internal set; } = -1;

    /// <summary>Joint real counts with <see cref="Parent"/>: [parent local × Kept.Length + local].</summary>
    public long[]? Joint { get; internal set; }

    /// <summary>Each real row's local category (0 NULL, -1 dropped); only for categorical columns, freed by the profile when done.</summary>
    internal int[]? LocalRows { get; private set; }

    private Dictionary<string, int>? _localOf;

    /// <summary>The local index of a twin value (0 for NULL), or -1 when it is no kept category.</summary>
    public int LocalOf(string? value) => value is null ? 0 : _localOf is not null && _localOf.TryGetValue(value, out var i) ? i : -1;

    // ---- numbers and dates ---------------------------------------------------------------------------------------------
    private double[] _numbers = [];
    private int _numberCount;

    /// <summary>The real non-null values as numbers (days for dates, ticks for date-times), sorted.</summary>
    public double[] Sorted { get; private set; } = [];

    public int Scale { get; private set; }

    public double Min { get; private set; }

    public double Max { get; private set; }

    /// <summary>Exact values kept (few distinct whole numbers), or null when <see cref="BinEdges"/> are used.</summary>
    public double[]? DiscreteValues { get; private set; }

    public long[]? DiscreteCounts { get; private set; }

    /// <summary>Equal-frequency bin edges (B + 1) and the real count in each bin.</summary>
    public double[] BinEdges { get; private set; } = [];

    public long[] BinCounts { get; private set; } = [];

    /// <summary>Whole numbers only (integers, days, whole seconds).</summary>
    public bool Whole => Type is ColumnType.Integer or ColumnType.Date || DateAsText || (Type == ColumnType.Decimal && Scale == 0);

    // ---- booleans ------------------------------------------------------------------------------------------------------
    public long Trues { get; private set; }

    // ---- text ----------------------------------------------------------------------------------------------------------
    private readonly List<string> _shapes = [];
    private long _shapeSeen;
    private readonly Dictionary<char, long> _han = [];
    private readonly long[] _latin = new long[52];
    private long _creditCodes;
    private long _textValues;

    /// <summary>Shapes of real values: digits as <c>\u0001</c>, Han as <c>\u0002</c>, Latin capitals <c>\u0003</c>, small <c>\u0004</c>, other letters <c>\u0005</c>; the rest as written.</summary>
    public string[] Shapes { get; private set; } = [];

    public char[] HanPool { get; private set; } = [];

    public long[] HanCounts { get; private set; } = [];

    public long[] LatinCounts { get; private set; } = new long[52];

    // ---- personal keys -------------------------------------------------------------------------------------------------
    /// <summary>The distribution the personal model follows: surname, carrier prefix, ID area code, division, issuer, grid cell, credit-code area.</summary>
    public Tally Primary { get; } = new();

    /// <summary>A second one: the name's length, the ID card's birth year, the bank card's length.</summary>
    public Tally Secondary { get; } = new();

    public int PointDecimals { get; private set; }

    internal void Observe(object? cell, TwinRandom reservoir)
    {
        if (cell is null || (cell is string { Length: 0 } && Type == ColumnType.String && Model != TwinModel.Categories))
        {
            Nulls++;
            StoreCode(0);
            return;
        }
        NonNull++;
        switch (Type)
        {
            case ColumnType.String:
                ObserveString(cell as string ?? Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "", reservoir);
                break;
            case ColumnType.Boolean:
                if (cell is true || (cell is long l && l != 0))
                {
                    Trues++;
                }
                break;
            default:
                AddNumber(TwinCells.ToNumber(cell, Type));
                if (Type == ColumnType.Decimal)
                {
                    Scale = Math.Max(Scale, TwinCells.ScaleOf(cell));
                }
                break;
        }
    }

    private void ObserveString(string value, TwinRandom reservoir)
    {
        RealHashes!.Add(ValueHash.Of(value));
        switch (Model)
        {
            case TwinModel.Categories:
                ObserveCategory(value, reservoir);
                return;
            case TwinModel.Histogram:
                if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    AddNumber(date.DayNumber);
                }
                return;
            case TwinModel.Text:
                ObserveText(value, reservoir);
                return;
        }
        TwinKeys.Observe(this, value);
    }

    internal void SetPointDecimals(int decimals) => PointDecimals = Math.Max(PointDecimals, Math.Min(decimals, 6));

    private void ObserveCategory(string value, TwinRandom reservoir)
    {
        if (_codeOf is null)
        {
            ObserveText(value, reservoir);
            return;
        }
        if (!_codeOf.TryGetValue(value, out var code))
        {
            if (_codeOf.Count >= MaxCategories)
            {
                // Too many distinct values to be categories: free text or codes from here on (the rows seen so far keep their hashes).
                _codeOf = null;
                _codes = null;
                _values.Clear();
                ObserveText(value, reservoir);
                return;
            }
            code = _codeOf.Count + 1;
            _codeOf[value] = code;
            _values.Add(value);
            if (code >= _valueCounts.Length)
            {
                Array.Resize(ref _valueCounts, _valueCounts.Length * 2);
            }
            // Should the column turn out to be text, its shapes and characters are those of its distinct values (read once each).
            ObserveText(value, reservoir);
        }
        _valueCounts[code]++;
        StoreCode(code);
    }

    private void StoreCode(int code)
    {
        if (_codes is null)
        {
            return;
        }
        if (_rows == _codes.Length)
        {
            Array.Resize(ref _codes, _codes.Length * 2);
        }
        _codes[_rows++] = (ushort)code;
    }

    private void ObserveText(string value, TwinRandom reservoir)
    {
        _textValues++;
        if (value.Length == 18 && CreditCode.IsValid(value))
        {
            _creditCodes++;
            if (int.TryParse(value.AsSpan(2, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var area))
            {
                Primary.Add(area);
            }
        }
        // A reservoir of shapes (Algorithm R): every value equally likely to lend its shape, whatever the table's size.
        _shapeSeen++;
        var slot = _shapes.Count < ShapeReservoir ? _shapes.Count : reservoir.NextLong(_shapeSeen);
        if (slot < ShapeReservoir)
        {
            var shape = ShapeOf(value);
            if (slot == _shapes.Count)
            {
                _shapes.Add(shape);
            }
            else
            {
                _shapes[(int)slot] = shape;
            }
        }
        foreach (var c in value)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                _latin[c - 'A']++;
            }
            else if (char.IsAsciiLetterLower(c))
            {
                _latin[26 + (c - 'a')]++;
            }
            else if (IsHan(c))
            {
                _han[c] = _han.GetValueOrDefault(c) + 1;
            }
        }
    }

    private void AddNumber(double value)
    {
        if (_numberCount == _numbers.Length)
        {
            Array.Resize(ref _numbers, Math.Max(1024, _numbers.Length * 2));
        }
        _numbers[_numberCount++] = value;
    }

    public static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF';

    private static string ShapeOf(string value) => string.Create(value.Length, value, static (span, v) =>
    {
        for (var i = 0; i < v.Length; i++)
        {
            var c = v[i];
            span[i] = c switch
            {
                >= '0' and <= '9' => '\u0001',
                _ when IsHan(c) => '\u0002',
                >= 'A' and <= 'Z' => '\u0003',
                >= 'a' and <= 'z' => '\u0004',
                _ when char.IsLetter(c) || char.IsSurrogate(c) => '\u0005',
                < ' ' => ' ',
                _ => c,
            };
        }
    });

    /// <summary>Settles the model and turns the counts into what the generator samples from.</summary>
    internal void Complete(TwinSettings settings)
    {
        var k = settings.MinCategoryCount;
        if (Model == TwinModel.Categories)
        {
            CompleteCategories(k);
        }
        if (Model == TwinModel.Text && Tag is null && _creditCodes > 0 && _creditCodes * 2 >= _textValues)
        {
            Model = TwinModel.CreditCode;
        }
        if (Model == TwinModel.Histogram)
        {
            CompleteNumbers(k);
        }
        if (Model is TwinModel.Text)
        {
            Shapes = [.. _shapes];
            var pool = new List<char>();
            foreach (var (c, n) in _han)
            {
                if (n >= k)
                {
                    pool.Add(c);
                }
            }
            pool.Sort();
            HanPool = [.. pool];
            HanCounts = new long[pool.Count];
            for (var i = 0; i < pool.Count; i++)
            {
                HanCounts[i] = _han[pool[i]];
            }
            for (var i = 0; i < 52; i++)
            {
                LatinCounts[i] = _latin[i] >= k ? _latin[i] : 0;
            }
        }
        _han.Clear();
        _shapes.Clear();
    }

    private void CompleteCategories(int k)
    {
        var distinct = _codeOf?.Count ?? int.MaxValue;
        var categorical = _codeOf is not null && (distinct <= 20 || distinct <= MaxCategoryShare * NonNull);
        if (!categorical && FallbackCategories() is null)
        {
            Model = TwinModel.Text;
            _codes = null;
            _codeOf = null;
            return;
        }
        var localOfCode = new int[(_codeOf?.Count ?? 0) + 1];
        var kept = new List<string?> { null };
        var counts = new List<long> { Nulls };
        _localOf = new Dictionary<string, int>(StringComparer.Ordinal);
        if (categorical)
        {
            for (var code = 1; code < localOfCode.Length; code++)
            {
                var n = _valueCounts[code];
                if (n >= k)
                {
                    localOfCode[code] = kept.Count;
                    _localOf[_values[code - 1]] = kept.Count;
                    kept.Add(_values[code - 1]);
                    counts.Add(n);
                }
                else
                {
                    localOfCode[code] = -1;
                    DroppedCategories++;
                    DroppedRows += n;
                }
            }
        }
        if (kept.Count == 1 && NonNull > 0)
        {
            // Nothing common enough: a coarse personal trait falls back to made-up categories, anything else becomes text.
            if (FallbackCategories() is { } fallback)
            {
                foreach (var name in fallback)
                {
                    _localOf[name] = kept.Count;
                    kept.Add(name);
                    counts.Add(Math.Max(1, NonNull / fallback.Length));
                }
                // Rows with the real (rare) values tell nothing about the made-up categories: no association is measured.
                _codes = null;
            }
            else
            {
                Model = TwinModel.Text;
                _codes = null;
                _codeOf = null;
                return;
            }
        }
        Kept = [.. kept];
        KeptCounts = [.. counts];
        if (_codes is not null)
        {
            var rows = new int[_rows];
            for (var i = 0; i < _rows; i++)
            {
                rows[i] = localOfCode[_codes[i]];
            }
            LocalRows = rows;
        }
        _codes = null;
        _codeOf = null;
    }

    private string[]? FallbackCategories() => Tag switch
    {
        "person.gender" => ["男", "女"],
        "geo.district" => [.. DivisionTable.NingboCounties.Select(c => DivisionTable.Shared.Name(c)!)],
        _ => null,
    };

    private void CompleteNumbers(int k)
    {
        var values = _numbers.AsSpan(0, _numberCount).ToArray();
        _numbers = [];
        Array.Sort(values);
        Sorted = values;
        if (values.Length == 0)
        {
            return;
        }
        Min = values[0];
        Max = values[^1];
        if (Whole)
        {
            // Few distinct whole numbers (ages, years, small counts): their own noisy frequencies, those seen at least k times.
            var distinct = 1;
            for (var i = 1; i < values.Length && distinct <= 256; i++)
            {
                if (values[i] != values[i - 1])
                {
                    distinct++;
                }
            }
            if (distinct <= 256)
            {
                var kept = new List<double>();
                var counts = new List<long>();
                var start = 0;
                for (var i = 1; i <= values.Length; i++)
                {
                    if (i == values.Length || values[i] != values[start])
                    {
                        if (i - start >= k)
                        {
                            kept.Add(values[start]);
                            counts.Add(i - start);
                        }
                        start = i;
                    }
                }
                if (kept.Count > 0)
                {
                    DiscreteValues = [.. kept];
                    DiscreteCounts = [.. counts];
                    return;
                }
            }
        }
        // Equal-frequency bins, at least 4k real values in each: the range and the bins' edges are all the twin learns.
        var bins = (int)Math.Clamp(values.Length / (4L * k), 1, 64);
        BinEdges = new double[bins + 1];
        BinCounts = new long[bins];
        for (var b = 0; b <= bins; b++)
        {
            BinEdges[b] = values[(int)Math.Min(values.Length - 1, (long)values.Length * b / bins)];
        }
        BinEdges[bins] = Max;
        for (var b = 0; b < bins; b++)
        {
            BinCounts[b] = ((long)values.Length * (b + 1) / bins) - ((long)values.Length * b / bins);
        }
    }

    /// <summary>Drops what only the profile's own completion needed.</summary>
    internal void Release() => LocalRows = null;
}
