using OpenData.Platform.Datasets;

namespace OpenData.Sandbox.Twins;

/// <summary>
/// Pass 2 of a twin: rows made from a <see cref="TwinProfile"/> and a seed, never copied — the same seed gives the same rows. Every
/// count sampled from gets Laplace noise (<see cref="TwinSettings.NoiseScale"/>) drawn from the seed; values of high-cardinality
/// columns are made up and made again whenever one equals (by hash) a real value; the <see cref="Personas"/> are the first rows
/// where the schema fits. See docs/sandbox.md, "How twins are made".
/// </summary>
internal sealed class TwinGenerator
{
    private const int Retries = 200;

    private readonly TwinProfile _profile;
    private readonly long _seed;
    private readonly ColumnProfile[] _columns;
    private readonly ColumnState[] _states;
    private readonly bool _citizensFit;
    private readonly bool _enterprisesFit;

    public TwinGenerator(TwinProfile profile, long seed)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _profile = profile;
        _seed = seed;
        _columns = [.. profile.Columns];
        _states = new ColumnState[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            _states[i] = new ColumnState(_columns[i], profile.Settings, new TwinRandom(TwinRandom.Derive(seed, i)));
            _citizensFit |= _columns[i].Model is TwinModel.Name or TwinModel.Mobile or TwinModel.IdCard or TwinModel.Address or TwinModel.Email or TwinModel.BankCard;
            _enterprisesFit |= _columns[i].Model == TwinModel.CreditCode;
        }
        RowCount = Math.Min(profile.Rows, profile.Settings.MaxRows);
    }

    /// <summary>As many rows as the real version has, up to <see cref="TwinSettings.MaxRows"/>.</summary>
    public long RowCount { get; }

    /// <summary>The seed the rows are made from.</summary>
    public long Seed => _seed;

    /// <summary>How many of the first rows are personas (citizens first, then enterprises) for this schema.</summary>
    public int PersonaRows => (int)Math.Min(RowCount, (_citizensFit ? Personas.Citizens.Count : 0) + (_enterprisesFit ? Personas.Enterprises.Count : 0));

    /// <summary><see cref="RowCount"/> rows, a new array each: string, long, decimal, bool, DateOnly, DateTime (UTC) or null.</summary>
    public IEnumerable<object?[]> Rows()
    {
        var random = new TwinRandom(_seed);
        var locals = new int[_columns.Length];
        var forced = new int[_columns.Length];
        var row = 0L;
        if (_citizensFit)
        {
            foreach (var persona in Personas.Citizens)
            {
                if (row++ >= RowCount)
                {
                    yield break;
                }
                yield return PersonaRow(random, locals, forced, persona, null);
            }
        }
        if (_enterprisesFit)
        {
            foreach (var enterprise in Personas.Enterprises)
            {
                if (row++ >= RowCount)
                {
                    yield break;
                }
                yield return PersonaRow(random, locals, forced, enterprise.Representative, enterprise);
            }
        }
        Array.Fill(forced, -1);
        for (; row < RowCount; row++)
        {
            yield return MakeRow(random, locals, forced);
        }
    }

    private object?[] MakeRow(TwinRandom random, int[] locals, int[] forced)
    {
        var cells = new object?[_columns.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = _states[i].Make(random, locals, forced[i]);
        }
        return cells;
    }

    private object?[] PersonaRow(TwinRandom random, int[] locals, int[] forced, Persona person, PersonaEnterprise? enterprise)
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            forced[i] = column.Model != TwinModel.Categories ? -1 : column.Tag switch
            {
                "person.gender" when enterprise is null => column.LocalOf(person.Gender),
                "geo.district" => column.LocalOf(enterprise?.District ?? person.District),
                _ => -1,
            };
            // A persona's trait the twin does not have among its categories is not forced in (it would be a category of one).
            forced[i] = forced[i] > 0 ? forced[i] : -1;
        }
        var cells = MakeRow(random, locals, forced);
        for (var i = 0; i < cells.Length; i++)
        {
            var column = _columns[i];
            object? value = column.Model switch
            {
                TwinModel.Name => person.Name,
                TwinModel.Mobile => enterprise?.Phone ?? person.Mobile,
                TwinModel.IdCard => person.IdCard,
                TwinModel.Address => enterprise?.Address ?? person.Address,
                TwinModel.Email => enterprise?.Email ?? person.Email,
                TwinModel.BankCard => enterprise?.BankAccount ?? person.BankCard,
                TwinModel.Point when enterprise is null => person.Point,
                TwinModel.CreditCode => enterprise?.CreditCode,
                TwinModel.Histogram when column.Tag == "date.birth" && enterprise is null => column.Type switch
                {
                    ColumnType.Date => person.BirthDate,
                    ColumnType.Datetime => person.BirthDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                    ColumnType.String => person.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    _ => null,
                },
                TwinModel.Histogram when column.Tag == "num.age" && enterprise is null => column.Type switch
                {
                    ColumnType.Integer => (long)person.Age,
                    ColumnType.Decimal => (decimal)person.Age,
                    _ => null,
                },
                _ => null,
            };
            // A persona's value that happens to be a real one is left out: the generated value stands.
            if (value is not null && (value is not string s || column.RealHashes is null || !column.RealHashes.Contains(ValueHash.Of(s))))
            {
                cells[i] = value;
            }
        }
        return cells;
    }

    /// <summary>One column's noisy tables, built once from the profile and the column's own stream of the seed.</summary>
    private sealed class ColumnState
    {
        private readonly ColumnProfile _column;
        private readonly double _nullShare;
        private readonly Sampler? _marginal;
        private readonly Sampler?[]? _conditional;
        private readonly Sampler? _primary;
        private readonly long[] _primaryKeys = [];
        private readonly Sampler? _secondary;
        private readonly long[] _secondaryKeys = [];
        private readonly double _trueShare;
        private readonly Sampler? _han;
        private readonly Sampler? _latin;
        private readonly int[] _latinLetters = [];

        public ColumnState(ColumnProfile column, TwinSettings settings, TwinRandom noise)
        {
            _column = column;
            var scale = settings.NoiseScale;
            var rows = column.Nulls + column.NonNull;
            _nullShare = rows == 0 ? 1 : Math.Clamp((column.Nulls + noise.Laplace(scale)) / rows, 0, 1);
            if (column.Nulls == 0)
            {
                _nullShare = 0;
            }
            switch (column.Model)
            {
                case TwinModel.Categories:
                    _marginal = Sampler.Noisy(column.KeptCounts, noise, scale);
                    if (column.Parent >= 0 && column.Joint is { } joint)
                    {
                        var width = column.Kept.Length;
                        var parents = joint.Length / width;
                        _conditional = new Sampler?[parents];
                        var weights = new double[width];
                        for (var p = 0; p < parents; p++)
                        {
                            // Noisy joint counts; a pair seen fewer than k times (after noise) is never made, as a rare category is not.
                            for (var c = 0; c < width; c++)
                            {
                                var n = joint[(p * width) + c];
                                var w = n > 0 ? n + noise.Laplace(scale) : 0;
                                weights[c] = w >= settings.MinCategoryCount ? w : 0;
                            }
                            var sampler = new Sampler(weights);
                            _conditional[p] = sampler.IsEmpty ? null : sampler;
                        }
                    }
                    break;
                case TwinModel.Histogram:
                    _marginal = column.DiscreteCounts is { } discrete ? Sampler.Noisy(discrete, noise, scale)
                        : column.BinCounts.Length > 0 ? Sampler.Noisy(column.BinCounts, noise, scale) : null;
                    if (_marginal is { IsEmpty: true })
                    {
                        _marginal = null;
                    }
                    if (_marginal is null)
                    {
                        _nullShare = 1;
                    }
                    break;
                case TwinModel.Boolean:
                    var nonNull = Math.Max(1, column.NonNull);
                    _trueShare = Math.Clamp((column.Trues + noise.Laplace(scale)) / nonNull, 0, 1);
                    break;
                case TwinModel.Text:
                    if (column.HanCounts.Length > 0)
                    {
                        _han = Sampler.Noisy(column.HanCounts, noise, scale);
                    }
                    var letters = new List<int>();
                    var letterCounts = new List<long>();
                    for (var i = 0; i < 52; i++)
                    {
                        if (column.LatinCounts[i] > 0)
                        {
                            letters.Add(i);
                            letterCounts.Add(column.LatinCounts[i]);
                        }
                    }
                    if (letters.Count > 0)
                    {
                        _latinLetters = [.. letters];
                        _latin = Sampler.Noisy([.. letterCounts], noise, scale);
                    }
                    break;
                default:
                    (_primaryKeys, _primary) = Keys(column.Primary, settings, noise, AllowedPrimary(column.Model));
                    (_secondaryKeys, _secondary) = Keys(column.Secondary, settings, noise, AllowedSecondary(column.Model));
                    break;
            }
        }

        private static (long[], Sampler?) Keys(Tally tally, TwinSettings settings, TwinRandom noise, Func<long, bool> allowed)
        {
            var (keys, counts) = tally.Kept(settings.MinCategoryCount, allowed);
            if (keys.Length == 0)
            {
                return ([], null);
            }
            var sampler = Sampler.Noisy(counts, noise, settings.NoiseScale);
            return sampler.IsEmpty ? ([], null) : (keys, sampler);
        }

        private static Func<long, bool> AllowedPrimary(TwinModel model) => model switch
        {
            TwinModel.Name => key => ColumnProfile.IsHan((char)key),
            TwinModel.Mobile => key => Array.IndexOf(SyntheticValues.MobilePrefixes, (int)key) >= 0,
            TwinModel.IdCard or TwinModel.CreditCode => key => key is >= 110000 and <= 829999,
            TwinModel.Address => key => DivisionTable.Shared.Name(key.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not null,
            TwinModel.BankCard => key => key is >= 100000 and <= 999999,
            _ => _ => true,
        };

        private static Func<long, bool> AllowedSecondary(TwinModel model) => model switch
        {
            TwinModel.Name => key => key is >= 2 and <= 4,
            TwinModel.IdCard => key => key >= 1900 && key <= DateTime.UtcNow.Year,
            TwinModel.BankCard => key => key is >= 16 and <= 19,
            _ => _ => false,
        };

        public object? Make(TwinRandom random, int[] locals, int forced)
        {
            var column = _column;
            if (column.Model == TwinModel.Categories)
            {
                var local = forced >= 0 ? forced : Draw(random, locals);
                locals[column.Index] = local;
                return column.Kept[local];
            }
            if (_nullShare > 0 && random.NextDouble() < _nullShare)
            {
                return null;
            }
            switch (column.Model)
            {
                case TwinModel.Histogram:
                    return TwinCells.FromNumber(Number(random), column);
                case TwinModel.Boolean:
                    return random.NextDouble() < _trueShare;
            }
            // Made up, and made again while it equals a real value (by hash).
            var hashes = column.RealHashes;
            for (var attempt = 0; ; attempt++)
            {
                var value = MakeText(random, attempt);
                if (hashes is null || !hashes.Contains(ValueHash.Of(value)))
                {
                    return value;
                }
                if (attempt > Retries * 50)
                {
                    throw new InvalidOperationException($"No value for column '{column.Name}' that is not a real one after {attempt} tries.");
                }
            }
        }

        private int Draw(TwinRandom random, int[] locals)
        {
            if (_conditional is not null && _conditional[locals[_column.Parent]] is { } conditional)
            {
                return conditional.Next(random);
            }
            return _marginal!.IsEmpty ? 0 : _marginal.Next(random);
        }

        private double Number(TwinRandom random)
        {
            var column = _column;
            var index = _marginal!.Next(random);
            if (column.DiscreteValues is { } values)
            {
                return values[index];
            }
            var lo = column.BinEdges[index];
            var hi = column.BinEdges[index + 1];
            if (column.Whole)
            {
                return Math.Min(hi, Math.Floor(lo + (random.NextDouble() * (hi - lo + 1))));
            }
            return lo + (random.NextDouble() * (hi - lo));
        }

        private long Primary(TwinRandom random, long fallback) => _primary is null ? fallback : _primaryKeys[_primary.Next(random)];

        private long Secondary(TwinRandom random, long fallback) => _secondary is null ? fallback : _secondaryKeys[_secondary.Next(random)];

        private string MakeText(TwinRandom random, int attempt)
        {
            switch (_column.Model)
            {
                case TwinModel.Name:
                    var surname = (char)Primary(random, SyntheticValues.Surnames[random.Next(SyntheticValues.Surnames.Length)]);
                    // Each failed try may lengthen the name: a twin of a table that holds most short names still finds free ones.
                    var length = (int)Secondary(random, random.Next(5) < 2 ? 2 : 3) + (attempt / 20);
                    return SyntheticValues.Name(random, surname, Math.Min(4, length));
                case TwinModel.Mobile:
                    return SyntheticValues.Mobile(random, (int)Primary(random, SyntheticValues.MobilePrefixes[random.Next(SyntheticValues.MobilePrefixes.Length)]));
                case TwinModel.IdCard:
                    var area = (int)Primary(random, int.Parse(DivisionTable.NingboCounties[random.Next(DivisionTable.NingboCounties.Length)], System.Globalization.CultureInfo.InvariantCulture));
                    return SyntheticValues.IdCard(random, area, (int)Secondary(random, random.Next(1950, 2006)));
                case TwinModel.Address:
                    var code = Primary(random, -1);
                    return SyntheticValues.Address(random, code < 0
                        ? DivisionTable.NingboCounties[random.Next(DivisionTable.NingboCounties.Length)]
                        : code.ToString(System.Globalization.CultureInfo.InvariantCulture));
                case TwinModel.Email:
                    return SyntheticValues.Email(random);
                case TwinModel.BankCard:
                    return SyntheticValues.BankCard(random, (int)Primary(random, SyntheticValues.BankPrefixes[random.Next(SyntheticValues.BankPrefixes.Length)]), (int)Secondary(random, 19));
                case TwinModel.Point:
                    var cell = Primary(random, (2980L + random.Next(20) << 32) | (uint)(12145 + random.Next(25)));
                    return SyntheticValues.Point(random, cell, _column.PointDecimals == 0 ? 6 : _column.PointDecimals);
                case TwinModel.CreditCode:
                    var codeArea = (int)Primary(random, int.Parse(DivisionTable.NingboCounties[random.Next(DivisionTable.NingboCounties.Length)], System.Globalization.CultureInfo.InvariantCulture));
                    Span<char> body = stackalloc char[8];
                    for (var i = 0; i < 8; i++)
                    {
                        body[i] = CreditCode.Alphabet[random.Next(i < 2 ? CreditCode.Alphabet.Length : 10)];
                    }
                    return CreditCode.Make(codeArea.ToString("000000", System.Globalization.CultureInfo.InvariantCulture), new string(body));
                default:
                    return Template(random, attempt);
            }
        }

        /// <summary>A real value's shape filled in again: digits stay digits, Han stays Han (from the column's pool), Latin stays Latin.</summary>
        private string Template(TwinRandom random, int attempt)
        {
            var shapes = _column.Shapes;
            var shape = shapes.Length == 0 ? "\u0001\u0001\u0001\u0001\u0001\u0001\u0001\u0001" : shapes[random.Next(shapes.Length)];
            // After many tries (short shapes with few free values) one more character of the shape's last class is added.
            var extra = attempt / 20;
            return string.Create(shape.Length + extra, (this, random, shape), static (span, state) =>
            {
                var (self, r, s) = state;
                for (var i = 0; i < span.Length; i++)
                {
                    var c = i < s.Length ? s[i] : LastClass(s);
                    span[i] = c switch
                    {
                        '\u0001' => r.Digit(),
                        '\u0002' or '\u0005' => self._han is null ? SyntheticValues.GivenChars[r.Next(SyntheticValues.GivenChars.Length)] : self._column.HanPool[self._han.Next(r)],
                        '\u0003' => self.Letter(r, upper: true),
                        '\u0004' => self.Letter(r, upper: false),
                        _ => c,
                    };
                }
            });
        }

        private static char LastClass(string shape)
        {
            for (var i = shape.Length - 1; i >= 0; i--)
            {
                if (shape[i] is >= '\u0001' and <= '\u0005')
                {
                    return shape[i];
                }
            }
            return '\u0001';
        }

        private char Letter(TwinRandom random, bool upper)
        {
            if (_latin is not null)
            {
                // The column's own letters, in its own proportions; the case the shape asks for.
                var letter = _latinLetters[_latin.Next(random)];
                var c = (char)(letter < 26 ? 'A' + letter : 'a' + (letter - 26));
                return upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
            }
            return (char)((upper ? 'A' : 'a') + random.Next(26));
        }
    }
}
