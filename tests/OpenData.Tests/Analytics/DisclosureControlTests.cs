using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Analytics;

/// <summary>
/// Aggregates of restricted data by callers without a grant, written as attacks on each database: differencing two queries that
/// differ by one person, reading small cells or recovering them from totals, a dominant contributor's sum, repeating a query to
/// average its noise away, exhausting the budget, grouping by what the owner did not allow.
/// </summary>
public sealed class DisclosureControlTests(DisclosureControlTests.SalaryHosts hosts) : IClassFixture<DisclosureControlTests.SalaryHosts>
{
    private const string Salaries = "agg-salaries";
    private const string Tight = "agg-salaries-tight";
    private const string Owner = "ningbo-civil-affairs";
    private const double Bound = 20_000;

    /// <summary>The target: the one best-paid person of district A, grade g1; everyone else there earns at most 8,900.</summary>
    private const int TargetSalary = 9_999;

    /// <summary>One host per database with the salaries twice: a budget of 200 per day, and a budget of 3.</summary>
    public sealed class SalaryHosts : SeededHosts
    {
        protected override async Task PrepareAsync(PlatformHost host)
        {
            await CreateSalariesAsync(host, Salaries, dailyBudget: 200);
            await CreateSalariesAsync(host, Tight, dailyBudget: 3);
        }
    }

    /// <summary>
    /// District × grade: A 40/30/4, B 35/3/25, C 50/20/20, D 10/–/–. D's g1 has nine part-timers at 300 and one earner of 20,000: one
    /// contributor makes 88 % of its sum.
    /// </summary>
    private static async Task CreateSalariesAsync(PlatformHost host, string id, double dailyBudget)
    {
        var owner = Reviewer(host, Owner);
        var response = await owner.PostAsJsonAsync("/v1/datasets", new
        {
            id, title = "Salaries", description = "made-up salaries", theme = "public-services", classification = "restricted",
            license = "Restricted", updateFrequency = "irregular",
            columns = new object[]
            {
                new { name = "name", type = "string", tag = "pii.name" },
                new { name = "district", type = "string" },
                new { name = "grade", type = "string" },
                new { name = "salary", type = "integer" },
            },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var csv = new StringBuilder("name,district,grade,salary\n");
        var n = 0;
        void Add(string district, string grade, int count, Func<int, int> salary)
        {
            for (var i = 0; i < count; i++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"员工{n++},{district},{grade},{salary(i)}\n");
            }
        }
        Add("A", "g1", 39, i => 5_000 + i * 100);
        Add("A", "g1", 1, _ => TargetSalary);
        Add("A", "g2", 30, i => 4_000 + i * 50);
        Add("A", "g3", 4, i => 3_000 + i);
        Add("B", "g1", 35, i => 5_500 + i * 10);
        Add("B", "g2", 3, i => 4_100 + i);
        Add("B", "g3", 25, i => 3_300 + i);
        Add("C", "g1", 50, i => 6_000 + i);
        Add("C", "g2", 20, i => 4_400 + i);
        Add("C", "g3", 20, i => 3_100 + i);
        Add("D", "g1", 9, _ => 300);
        Add("D", "g1", 1, _ => 20_000);
        Assert.Equal("succeeded", (await host.UploadAsync(owner, id, csv.ToString())).GetProperty("status").GetString());
        await PlatformHost.ReadJsonAsync(await owner.PutAsJsonAsync($"/v1/datasets/{id}/aggregate-access", new
        {
            enabled = true, epsilon = 1.0, dailyBudget, groupable = new[] { "district", "grade" }, bounds = new Dictionary<string, double> { ["salary"] = Bound },
        }));
    }

    private static Task<HttpResponseMessage> AggregateAsync(HttpClient client, string dataset, string groupBy, string measures, string? where = null) =>
        client.GetAsync($"/v1/datasets/{dataset}/aggregate?group_by={Uri.EscapeDataString(groupBy)}&measures={Uri.EscapeDataString(measures)}"
            + (where is null ? "" : "&where=" + Uri.EscapeDataString(where)));

    private static async Task<JsonNode> AnswerAsync(HttpClient client, string dataset, string groupBy, string measures, string? where = null) =>
        await PlatformHost.ReadJsonAsync(await AggregateAsync(client, dataset, groupBy, measures, where));

    private static JsonNode Cell(JsonNode answer, string district, string? grade = null) => answer["groups"]!.AsArray().Single(g =>
        g!["district"]!.GetValue<string>() == district && (grade is null || g["grade"]!.GetValue<string>() == grade))!;

    [DatabaseTheory, OnEachDatabase]
    public async Task Small_cells_and_the_cells_that_would_give_them_away_are_suppressed(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = Consumer(host, "agg-small-" + db);

        var table = await AnswerAsync(client, Salaries, "district,grade", "count");

        var suppressed = table["groups"]!.AsArray().Where(g => g!["suppressed"]!.GetValue<bool>())
            .Select(g => g!["district"]!.GetValue<string>() + "/" + g["grade"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        // A/g3 (4) and B/g2 (3) are under k = 10; a total (group_by=district or group_by=grade) less the visible cells of its line
        // would give each away, so more cells of their lines go too, never the large g1 cells.
        Assert.Contains("A/g3", suppressed);
        Assert.Contains("B/g2", suppressed);
        Assert.DoesNotContain(suppressed, s => s.EndsWith("/g1", StringComparison.Ordinal));
        Assert.All(table["groups"]!.AsArray().Where(g => g!["suppressed"]!.GetValue<bool>()), g => Assert.Null(g!["count"]));
        // No line of the table (one district, or one grade) has exactly one suppressed cell.
        foreach (var line in table["groups"]!.AsArray().GroupBy(g => g!["district"]!.GetValue<string>()).Concat(table["groups"]!.AsArray().GroupBy(g => g!["grade"]!.GetValue<string>())))
        {
            Assert.NotEqual(1, line.Count(g => g!["suppressed"]!.GetValue<bool>()));
        }
        // In one dimension: A's grades, the small g3 and its complement g2.
        var a = await AnswerAsync(client, Salaries, "grade", "count", "district = 'A'");
        Assert.Equal([false, true, true], a["groups"]!.AsArray().OrderBy(g => g!["grade"]!.GetValue<string>(), StringComparer.Ordinal).Select(g => g!["suppressed"]!.GetValue<bool>()));
        Assert.Equal(10, table["disclosure"]!["k"]!.GetValue<int>());
        Assert.Equal("controlled", table["disclosure"]!["mode"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_sum_one_contributor_dominates_is_suppressed(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = Consumer(host, "agg-dominance-" + db);

        // D's ten rows pass k: their count is published.
        Assert.False(Cell(await AnswerAsync(client, Salaries, "district", "count"), "D")["suppressed"]!.GetValue<bool>());
        // Its sum would be one earner's salary give or take the part-timers: 20,000 of 22,700 (88 % > 85 %).
        var sums = await AnswerAsync(client, Salaries, "district", "count,sum(salary)");
        Assert.True(Cell(sums, "D")["suppressed"]!.GetValue<bool>());
        Assert.Null(Cell(sums, "D")["sum_salary"]);
        Assert.False(Cell(sums, "C")["suppressed"]!.GetValue<bool>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_differencing_attack_learns_the_target_only_within_the_noise(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = Consumer(host, "agg-differencing-" + db);
        const int Pairs = 20;

        // The attacker knows the target is the best-paid of A's g1 and asks, 20 times over in different words, for A's g1 with and
        // without everyone earning above 9,000: each pair differs by the target alone, and its differences estimate the target's salary.
        var errors = new List<double>();
        var countErrors = new List<double>();
        double scale = 0;
        for (var i = 1; i <= Pairs; i++)
        {
            var with = await AnswerAsync(client, Salaries, "district", "count,sum(salary)", $"grade = 'g1' and salary <= {TargetSalary + i}");
            var without = await AnswerAsync(client, Salaries, "district", "count,sum(salary)", $"grade = 'g1' and salary < {TargetSalary - i}");
            var estimate = Cell(with, "A")["sum_salary"]!.GetValue<double>() - Cell(without, "A")["sum_salary"]!.GetValue<double>();
            errors.Add(Math.Abs(estimate - TargetSalary));
            countErrors.Add(Math.Abs(Cell(with, "A")["count"]!.GetValue<long>() - Cell(without, "A")["count"]!.GetValue<long>() - 1));
            scale = with["disclosure"]!["noise"]!["scales"]!["sum_salary"]!.GetValue<double>();
            // Each answer stays within the documented bound of the truth (scale × ln 20 with 95 %; × ln 10⁶ here, one in a million).
            Assert.InRange(Cell(with, "A")["count"]!.GetValue<long>(), 40 - 14 * 3, 40 + 14 * 3);
        }
        // epsilon 1 over three statistics: a sum's scale is 3 × the bound of 20,000, far above any one salary.
        Assert.Equal(3 * Bound, scale);
        // The difference of two independent Laplace draws of scale b errs by 1.5 b on average: the attacker's estimates of a salary
        // of 9,999 are off by tens of thousands, and no more than a few of 20 land within 10 % of it.
        Assert.True(errors.Average() > 0.5 * scale, $"mean error {errors.Average()} against a scale of {scale}");
        Assert.True(errors.Count(e => e < 0.1 * TargetSalary) <= 3, string.Join(", ", errors));
        // Whether the target is in A's g1 at all: the count differences are off by 1.5 × 3 on average, not the 1 the target makes.
        Assert.True(countErrors.Average() > 1, string.Join(", ", countErrors));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Repeating_a_query_gives_the_same_answer_and_spends_nothing_more(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = Consumer(host, "agg-repeat-" + db);

        var first = await AnswerAsync(client, Salaries, "district,grade", "count,avg(salary),sum(salary)", "salary > 0");
        Assert.Equal(1.0, first["disclosure"]!["budgetSpent"]!.GetValue<double>());
        Assert.Equal(199.0, first["disclosure"]!["budgetLeft"]!.GetValue<double>());
        // The same query, spelled otherwise: other spacing, measures and group_by in another order.
        var again = await AnswerAsync(client, Salaries, "grade , district", "sum(salary), count ,avg(salary)", "salary>0");
        Assert.Equal(1.0, again["disclosure"]!["budgetSpent"]!.GetValue<double>());
        string Figures(JsonNode answer) => string.Join(";", answer["groups"]!.AsArray()
            .Select(g => $"{g!["district"]}/{g["grade"]}:{g["count"]}:{g["sum_salary"]}:{g["avg_salary"]}:{g["suppressed"]}").Order(StringComparer.Ordinal));
        Assert.True(Figures(first) == Figures(again), first.ToJsonString() + "\n" + again.ToJsonString());
        // The noise is there: C's g1 (50 people, 6,000 to 6,049) is not answered exactly.
        var c = Cell(first, "C", "g1");
        Assert.NotEqual(50 * 6_000 + 49 * 50 / 2 * 1.0 + 25 * 0, c["sum_salary"]!.GetValue<double>());
        // Another query spends one more.
        Assert.Equal(2.0, (await AnswerAsync(client, Salaries, "district", "count"))["disclosure"]!["budgetSpent"]!.GetValue<double>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_spent_budget_is_refused_until_the_next_day_but_repeats_are_still_answered(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = Consumer(host, "agg-budget-" + db);

        foreach (var grade in new[] { "g1", "g2", "g3" })
        {
            await AnswerAsync(client, Tight, "district", "count", $"grade = '{grade}'");
        }
        var refused = await AggregateAsync(client, Tight, "district", "count", "grade = 'g1' or grade = 'g2'");
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "aggregate.budget_exhausted");
        Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 86_400 }, refused.Headers.RetryAfter?.ToString());
        var repeated = await AggregateAsync(client, Tight, "district", "count", "grade = 'g2'");
        var repeat = await PlatformHost.ReadJsonAsync(repeated);
        Assert.Equal(0.0, repeat["disclosure"]!["budgetLeft"]!.GetValue<double>());
        Assert.Equal("spent=3, left=0, epsilon=1", Assert.Single(repeated.Headers.GetValues("Privacy-Budget")));
        // The budget is the tenant's: another tenant starts afresh.
        Assert.Equal(1.0, (await AnswerAsync(Consumer(host, "agg-budget-other-" + db), Tight, "district", "count"))["disclosure"]!["budgetSpent"]!.GetValue<double>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Only_what_the_owner_allowed_is_grouped_or_measured(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = Consumer(host, "agg-refused-" + db);

        // salary may be summed but not grouped (a group per salary is a person); name is neither; min and max are one person's value.
        await ProblemAssert.IsProblemAsync(await AggregateAsync(client, Salaries, "salary", "count"), HttpStatusCode.BadRequest, "aggregate.column_not_groupable");
        await ProblemAssert.IsProblemAsync(await AggregateAsync(client, Salaries, "name", "count"), HttpStatusCode.BadRequest, "aggregate.column_not_groupable");
        await ProblemAssert.IsProblemAsync(await AggregateAsync(client, Salaries, "district", "max(salary)"), HttpStatusCode.BadRequest, "aggregate.invalid_measure");
        await ProblemAssert.IsProblemAsync(await AggregateAsync(client, Salaries, "district", "count", "name = '员工1'"), HttpStatusCode.BadRequest, "query.column_not_filterable");
        // Anonymous callers have no budget to spend: sign in.
        await ProblemAssert.IsProblemAsync(await AggregateAsync(host.Anonymous(), Salaries, "district", "count"), HttpStatusCode.Unauthorized, "auth.token_required");
        // Rows stay out of reach.
        await ProblemAssert.IsProblemAsync(await client.GetAsync($"/v1/datasets/{Salaries}/records"), HttpStatusCode.Forbidden, "access.grant_required");
        // The owner cannot make a direct identifier groupable.
        await ProblemAssert.IsProblemAsync(await Reviewer(host, Owner).PutAsJsonAsync($"/v1/datasets/{Salaries}/aggregate-access", new { enabled = true, groupable = new[] { "name" } }),
            HttpStatusCode.BadRequest, "aggregate.column_not_groupable");
        // Without aggregate access, a dataset without a grant is refused as its records are.
        await ProblemAssert.IsProblemAsync(await AggregateAsync(client, Restricted, "ticketNo", "count"), HttpStatusCode.Forbidden, "access.grant_required");
    }
}
