using System.Globalization;
using System.Text.Json;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Sandbox.Twins;

namespace OpenData.Tests.Sandbox;

/// <summary>The synthetic twin of a generated 50,000-row table: what it keeps of the real rows, and what it never shows of them.</summary>
public sealed class TwinTests : IClassFixture<TwinTests.Made>
{
    private const int Rows = 50_000;
    private const long Seed = 1_600_016;

    private readonly Made _made;

    public TwinTests(Made made) => _made = made;

    /// <summary>The real table, its profile, a twin and its report, made once for the class.</summary>
    public sealed class Made
    {
        public Made()
        {
            Real = RealTable.Rows(Rows);
            Profile = Profile(RealTable.Columns, Real);
            Twin = [.. new TwinGenerator(Profile, Seed).Rows()];
            Report = Assess(Profile, Twin, Seed);
        }

        internal List<object?[]> Real { get; }

        internal TwinProfile Profile { get; }

        internal List<object?[]> Twin { get; }

        internal TwinReport Report { get; }
    }

    internal static TwinProfile Profile(IReadOnlyList<ColumnDefinition> columns, IEnumerable<object?[]> rows, TwinSettings? settings = null)
    {
        var profiler = new TwinProfiler(columns, settings ?? new TwinSettings());
        var buffer = new object?[columns.Count];
        foreach (var row in rows)
        {
            // The caller reuses its array: the profiler must copy what it keeps.
            Array.Copy(row, buffer, row.Length);
            profiler.Observe(buffer);
            Array.Fill(buffer, "overwritten");
        }
        return profiler.Complete();
    }

    internal static TwinReport Assess(TwinProfile profile, IEnumerable<object?[]> twin, long? seed = null)
    {
        var assessor = new TwinAssessor(profile, seed);
        foreach (var row in twin)
        {
            assessor.Observe(row);
        }
        return assessor.Complete();
    }

    private static int Index(string name) => RealTable.Columns.Single(c => c.Name == name).Position;

    private IEnumerable<object?> TwinColumn(string name) => _made.Twin.Select(r => r[Index(name)]);

    private IEnumerable<object?> RealColumn(string name) => _made.Real.Select(r => r[Index(name)]);

    [Fact]
    public void The_twin_has_as_many_rows_and_the_same_types()
    {
        Assert.Equal(Rows, _made.Twin.Count);
        foreach (var row in _made.Twin.Skip(20).Take(2000))
        {
            Assert.Equal(RealTable.Columns.Count, row.Length);
            Assert.All(row.Where(c => c is not null), c => Assert.True(c is string or long or decimal or bool or DateOnly or DateTime, c!.GetType().Name));
            Assert.IsType<string>(row[Index("name")]);
            Assert.True(row[Index("amount")] is null or decimal);
            Assert.IsType<DateOnly>(row[Index("received")]);
            Assert.True(row[Index("resolved")] is null or bool);
            Assert.IsType<long>(row[Index("age")]);
        }
    }

    [Theory]
    [InlineData("name")]
    [InlineData("phone")]
    [InlineData("id_card")]
    [InlineData("address")]
    [InlineData("email")]
    [InlineData("bank_card")]
    [InlineData("case_no")]
    public void No_real_value_of_a_high_cardinality_column_is_in_the_twin(string column)
    {
        var real = RealColumn(column).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var twin = TwinColumn(column).OfType<string>().ToList();
        Assert.NotEmpty(twin);
        Assert.DoesNotContain(twin, real.Contains);
        var overlap = Assert.Single(_made.Report.Privacy.Overlap, o => o.Column == column);
        Assert.Equal(0, overlap.EqualToReal);
        Assert.Equal(twin.Count, overlap.TwinValues);
    }

    [Theory]
    [InlineData("district")]
    [InlineData("category")]
    [InlineData("gender")]
    public void Category_shares_stay_within_two_points(string column)
    {
        // Stated tolerance: |twin share − real share| ≤ 0.02 for every category holding at least 1 % of the real rows.
        var real = Shares(RealColumn(column));
        var twin = Shares(TwinColumn(column));
        foreach (var (value, share) in real.Where(p => p.Value >= 0.01))
        {
            Assert.InRange(twin.GetValueOrDefault(value) - share, -0.02, 0.02);
        }
        Assert.InRange(_made.Report.Columns.Single(c => c.Name == column).Distance!.Value, 0, 0.03);
    }

    [Fact]
    public void Rare_categories_and_area_codes_never_reach_the_twin()
    {
        var districts = TwinColumn("district").OfType<string>().ToHashSet();
        Assert.All(RealTable.RareDistricts, d => Assert.DoesNotContain(d, districts));
        Assert.Equal(RealTable.Districts.Order(), districts.Order());
        Assert.DoesNotContain(TwinColumn("id_card").OfType<string>(), id => id.StartsWith(RealTable.RareAreaCode, StringComparison.Ordinal));
        var report = _made.Report.Columns.Single(c => c.Name == "district");
        Assert.Equal(3, report.CategoriesDroppedAsRare);
        Assert.Equal(10, report.CategoriesKept);
        // The report counts them and never names them.
        var json = JsonSerializer.Serialize(_made.Report, JsonSerializerOptions.Web);
        Assert.All(RealTable.RareDistricts, d => Assert.DoesNotContain(d, json, StringComparison.Ordinal));
    }

    [Fact]
    public void The_association_of_district_and_category_is_kept()
    {
        var pair = Assert.Single(_made.Report.Pairs, p => p.First == "district" && p.Second == "category");
        Assert.True(pair.Real > 0.2, $"the real table's association is {pair.Real}");
        Assert.InRange(pair.Difference, 0, 0.05);
        // Each district still prefers its category in the twin.
        for (var d = 0; d < RealTable.Districts.Length; d++)
        {
            var inDistrict = _made.Twin.Where(r => (string?)r[Index("district")] == RealTable.Districts[d]).ToList();
            var preferred = inDistrict.Count(r => (string?)r[Index("category")] == RealTable.Categories[d % RealTable.Categories.Length]);
            Assert.InRange((double)preferred / inDistrict.Count, 0.5, 0.65);
        }
    }

    [Theory]
    [InlineData("amount")]
    [InlineData("resolved")]
    [InlineData("district")]
    public void Null_shares_stay_within_a_point(string column)
    {
        var real = RealColumn(column).Count(v => v is null) / (double)Rows;
        var twin = TwinColumn(column).Count(v => v is null) / (double)Rows;
        Assert.InRange(twin - real, -0.01, 0.01);
    }

    [Theory]
    [InlineData("amount", 0.03)]
    [InlineData("received", 0.03)]
    [InlineData("age", 0.03)]
    [InlineData("resolved", 0.01)]
    public void Numbers_dates_and_booleans_follow_the_real_distribution(string column, double tolerance)
    {
        var report = _made.Report.Columns.Single(c => c.Name == column);
        Assert.InRange(report.Distance!.Value, 0, tolerance);
        if (column == "amount")
        {
            var real = RealColumn(column).OfType<double>().ToList();
            var twin = TwinColumn(column).OfType<decimal>().ToList();
            // The range is kept: nothing outside it, and both ends nearly reached.
            var range = real.Max() - real.Min();
            Assert.InRange((double)twin.Min(), real.Min(), real.Min() + (0.01 * range));
            Assert.InRange((double)twin.Max(), real.Max() - (0.01 * range), real.Max());
            Assert.All(twin, v => Assert.Equal(v, Math.Round(v, 2)));
        }
    }

    [Fact]
    public void Id_cards_are_valid_and_follow_the_real_area_codes_and_birth_years()
    {
        var ids = TwinColumn("id_card").OfType<string>().ToList();
        Assert.All(ids, id =>
        {
            Assert.Equal(18, id.Length);
            Assert.Equal(PiiScanner.IdCheckCharacter(id.AsSpan(0, 17)), id[17]);
            Assert.True(DateOnly.TryParseExact(id.Substring(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), id);
        });
        var realAreas = Shares(RealColumn("id_card").OfType<string>().Select(id => id[..6]));
        var twinAreas = Shares(ids.Select(id => id[..6]));
        foreach (var (area, share) in realAreas.Where(p => p.Value >= 0.01))
        {
            Assert.InRange(twinAreas.GetValueOrDefault(area) - share, -0.02, 0.02);
        }
        var realYears = Shares(RealColumn("id_card").OfType<string>().Select(id => id.Substring(6, 4)));
        var twinYears = Shares(ids.Select(id => id.Substring(6, 4)));
        var total = realYears.Keys.Union(twinYears.Keys).Sum(y => Math.Abs(realYears.GetValueOrDefault(y) - twinYears.GetValueOrDefault(y))) / 2;
        Assert.InRange(total, 0, 0.05);
    }

    [Fact]
    public void Mobiles_cards_emails_and_addresses_have_the_right_shapes()
    {
        Assert.All(TwinColumn("phone").OfType<string>(), m =>
        {
            Assert.Matches("^1[0-9]{10}$", m);
            Assert.Contains(int.Parse(m[..3], CultureInfo.InvariantCulture), SyntheticValues.MobilePrefixes);
        });
        Assert.All(TwinColumn("bank_card").OfType<string>(), c =>
        {
            Assert.Matches("^[0-9]{16,19}$", c);
            Assert.True(PiiScanner.Luhn(c.Select(d => (byte)(d - '0')).ToArray()), c);
        });
        Assert.All(TwinColumn("email").OfType<string>(), e => Assert.Contains(SyntheticValues.EmailDomains, d => e.EndsWith("@" + d, StringComparison.Ordinal)));
        Assert.All(TwinColumn("address").OfType<string>(), a => Assert.StartsWith("浙江省宁波市", a, StringComparison.Ordinal));
        Assert.All(TwinColumn("name").OfType<string>(), n => Assert.Matches("^\\p{IsCJKUnifiedIdeographs}{2,4}$", n));
        Assert.All(TwinColumn("case_no").OfType<string>(), n => Assert.Matches("^[A-Z]{2}[0-9]{10}", n));
    }

    [Fact]
    public void The_same_seed_makes_the_same_twin_and_another_seed_another()
    {
        static string Text(IEnumerable<object?[]> rows) =>
            string.Join('\n', rows.Take(3000).Select(r => string.Join('|', r.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture)))));
        var again = Text(new TwinGenerator(_made.Profile, Seed).Rows());
        Assert.Equal(Text(_made.Twin), again);
        var other = new TwinGenerator(_made.Profile, Seed + 1).Rows().Skip(20).Take(100).ToList();
        Assert.NotEqual(Text(_made.Twin.Skip(20).Take(100)), Text(other));
        // A profile made again from the same rows makes the same twin too (nothing depends on the process).
        var profile = Profile(RealTable.Columns, _made.Real);
        Assert.Equal(again, Text(new TwinGenerator(profile, Seed).Rows()));
    }

    [Fact]
    public void A_fair_twin_passes_and_its_report_is_camel_case_json()
    {
        var report = _made.Report;
        Assert.True(report.Passed, string.Join("; ", report.Failures));
        Assert.Empty(report.Failures);
        Assert.Equal(Seed, report.Seed);
        Assert.Equal(Rows, report.RealRows);
        Assert.Equal(Rows, report.TwinRows);
        Assert.True(report.Privacy.Distance.Measured);
        Assert.True(report.Privacy.Copies.Passed);
        var json = JsonSerializer.Serialize(report, JsonSerializerOptions.Web);
        using var document = JsonDocument.Parse(json);
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["passed", "failures"], names.Take(2));
        var district = document.RootElement.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "district");
        Assert.Equal("categorical", district.GetProperty("kind").GetString());
        Assert.Equal("personal", document.RootElement.GetProperty("columns")[0].GetProperty("kind").GetString());
        Assert.Equal("kolmogorovSmirnov", document.RootElement.GetProperty("columns")[Index("amount")].GetProperty("measure").GetString());
        var back = JsonSerializer.Deserialize<TwinReport>(json, JsonSerializerOptions.Web)!;
        Assert.Equal(report.Passed, back.Passed);
        Assert.Equal(report.Columns.Count, back.Columns.Count);
    }

    [Fact]
    public void The_real_rows_themselves_fail_the_privacy_checks()
    {
        var report = Assess(_made.Profile, _made.Real);
        Assert.False(report.Passed);
        Assert.False(report.Privacy.Passed);
        Assert.Contains(report.Failures, f => f.StartsWith("Overlap", StringComparison.Ordinal) && f.Contains("'name'", StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.StartsWith("Copies", StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.StartsWith("Distance to closest record", StringComparison.Ordinal));
    }

    [Fact]
    public void Real_rows_with_one_column_altered_fail()
    {
        var altered = _made.Real.Select(r =>
        {
            var copy = (object?[])r.Clone();
            copy[Index("name")] = "改" + copy[Index("name")];
            return copy;
        });
        var report = Assess(_made.Profile, altered);
        Assert.False(report.Passed);
        Assert.Contains(report.Failures, f => f.StartsWith("Overlap", StringComparison.Ordinal) && f.Contains("'id_card'", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Failures, f => f.Contains("'name'", StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.StartsWith("Distance to closest record", StringComparison.Ordinal));
    }

    [Fact]
    public void Near_copies_of_a_table_without_identifiers_fail_the_distance_check()
    {
        var columns = RealTable.Columns.Where(c => c.Tag is null or "num.age" or "person.gender" && c.Name != "case_no")
            .Select((c, i) => c with { Position = i }).ToList();
        var keep = columns.Select(c => Index(c.Name)).ToArray();
        var real = _made.Real.Select(r => keep.Select(i => r[i]).ToArray()).ToList();
        var profile = Profile(columns, real);
        var fair = Assess(profile, new TwinGenerator(profile, Seed).Rows());
        Assert.True(fair.Passed, string.Join("; ", fair.Failures));
        var amount = columns.FindIndex(c => c.Name == "amount");
        var nudged = real.Select(r =>
        {
            var copy = (object?[])r.Clone();
            copy[amount] = copy[amount] is double d ? d + 0.01 : 1.0;
            return copy;
        });
        var report = Assess(profile, nudged);
        Assert.False(report.Passed);
        Assert.Contains(report.Failures, f => f.StartsWith("Distance to closest record", StringComparison.Ordinal));
    }

    [Fact]
    public void Personas_are_the_first_rows_where_the_schema_fits()
    {
        for (var i = 0; i < Personas.Citizens.Count; i++)
        {
            var persona = Personas.Citizens[i];
            var row = _made.Twin[i];
            Assert.Equal(persona.Name, row[Index("name")]);
            Assert.Equal(persona.Mobile, row[Index("phone")]);
            Assert.Equal(persona.IdCard, row[Index("id_card")]);
            Assert.Equal(persona.Address, row[Index("address")]);
            Assert.Equal(persona.Email, row[Index("email")]);
            Assert.Equal(persona.BankCard, row[Index("bank_card")]);
            Assert.Equal(persona.Gender, row[Index("gender")]);
            Assert.Equal((long)persona.Age, row[Index("age")]);
            // An untagged district column is no persona's: it is made as usual.
            Assert.Contains((string?)row[Index("district")], RealTable.Districts);
        }
        // No credit-code column: no enterprise rows; the ninth row is made as usual.
        Assert.DoesNotContain(Personas.Citizens, p => p.Name == (string?)_made.Twin[8][Index("name")]);
    }

    [Fact]
    public void Enterprises_follow_where_a_column_holds_credit_codes_and_no_persona_where_none_fits()
    {
        var columns = new[]
        {
            RealTable.Column(0, "shop", ColumnType.String, null),
            RealTable.Column(1, "credit_code", ColumnType.String, null),
            RealTable.Column(2, "owner", ColumnType.String, "pii.name"),
            RealTable.Column(3, "kind", ColumnType.String, null),
        };
        var random = new TwinRandom(3);
        var real = Enumerable.Range(0, 2000).Select(i => new object?[]
        {
            "店" + i.ToString(CultureInfo.InvariantCulture),
            CreditCode.Make("330203", "MA" + random.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture)),
            "张" + SyntheticValues.GivenChars[i % 40],
            i % 3 == 0 ? "餐饮" : "零售",
        }).ToList();
        var profile = Profile(columns, real);
        Assert.Equal(TwinModel.CreditCode, profile.Columns[1].Model);
        var twin = new TwinGenerator(profile, 7).Rows().ToList();
        Assert.Equal(Personas.Citizens[0].Name, twin[0][2]);
        for (var i = 0; i < Personas.Enterprises.Count; i++)
        {
            var enterprise = Personas.Enterprises[i];
            Assert.Equal(enterprise.CreditCode, twin[8 + i][1]);
            Assert.Equal(enterprise.Representative.Name, twin[8 + i][2]);
        }
        Assert.All(twin.Select(r => (string)r[1]!), c => Assert.True(CreditCode.IsValid(c), c));
        Assert.True(Assess(profile, twin).Passed);

        // A table with nothing personal has no persona rows at all.
        var plain = new[] { RealTable.Column(0, "kind", ColumnType.String, null), RealTable.Column(1, "n", ColumnType.Integer, null) };
        var plainProfile = Profile(plain, Enumerable.Range(0, 500).Select(i => new object?[] { i % 2 == 0 ? "a" : "b", (long)i }));
        var generator = new TwinGenerator(plainProfile, 1);
        Assert.Equal(0, generator.PersonaRows);
        Assert.Equal(500, generator.Rows().Count());
    }

    [Fact]
    public void Personas_values_are_valid_and_documented()
    {
        var docs = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "sandbox.md"));
        foreach (var p in Personas.Citizens)
        {
            Assert.Equal(PiiScanner.IdCheckCharacter(p.IdCard.AsSpan(0, 17)), p.IdCard[17]);
            Assert.StartsWith("3302", p.IdCard, StringComparison.Ordinal);
            Assert.Equal(p.BirthDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture), p.IdCard.Substring(6, 8));
            Assert.True(PiiScanner.Luhn(p.BankCard.Select(d => (byte)(d - '0')).ToArray()));
            Assert.Contains(int.Parse(p.Mobile[..3], CultureInfo.InvariantCulture), SyntheticValues.MobilePrefixes);
            Assert.Contains(p.IdCard, docs, StringComparison.Ordinal);
            Assert.Contains(p.Name, docs, StringComparison.Ordinal);
        }
        foreach (var e in Personas.Enterprises)
        {
            Assert.True(CreditCode.IsValid(e.CreditCode), e.CreditCode);
            Assert.Contains(e.CreditCode, docs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_known_credit_code_checks()
    {
        // A real enterprise's published code.
        Assert.True(CreditCode.IsValid("91110000600037341L"));
        Assert.False(CreditCode.IsValid("91110000600037341M"));
    }

    private static Dictionary<string, double> Shares(IEnumerable<object?> values)
    {
        var list = values.OfType<string>().ToList();
        return list.GroupBy(v => v).ToDictionary(g => g.Key, g => (double)g.Count() / list.Count);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenData.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }
}
