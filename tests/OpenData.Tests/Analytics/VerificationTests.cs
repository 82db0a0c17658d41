using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;
using Xunit.Abstractions;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Analytics;

/// <summary>
/// Verification products (核验服务) attacked: the answers leak no row value, take the same time whether they match or not,
/// stop an enumeration at the day's no_match limit (and tell the owner), and need a verify grant that reads no row.
/// </summary>
public sealed class VerificationTests(ITestOutputHelper output)
{
    /// <summary>The tolerance between the median times of match and no-match answers (the floor is 50 ms).</summary>
    private const double ToleranceMs = 10;

    private static Dictionary<string, string?> Settings(int noMatchesPerDay = 1000, int callsPerMinute = 10_000) => new()
    {
        ["OpenData:Verification:NoMatchesPerDay"] = noMatchesPerDay.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OpenData:Verification:CallsPerMinute"] = callsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OpenData:Verification:FloorMilliseconds"] = "50",
    };

    /// <summary>A real row of the seeded restricted dataset, as its owner reads it.</summary>
    private static async Task<JsonObject> RealRowAsync(HttpClient owner) =>
        (await PlatformHost.ReadJsonAsync(await owner.GetAsync($"/v1/datasets/{Restricted}/records?limit=1")))["items"]!.AsArray()[0]!.AsObject();

    private static async Task DefineAsync(HttpClient owner, string answer)
    {
        var defined = await PlatformHost.ReadJsonAsync(await owner.PutAsJsonAsync($"/v1/datasets/{Restricted}/verification",
            new { keys = new[] { "callerIdCard", "callerName" }, answer }));
        Assert.Equal(["callerIdCard", "callerName"], defined["keys"]!.AsArray().Select(k => k!.GetValue<string>()));
    }

    /// <summary>The consumer asks for a verify grant and the owner approves it; returns the grant's id.</summary>
    private static async Task<string> VerifyGrantAsync(HttpClient consumer, HttpClient owner)
    {
        var response = await consumer.PostAsJsonAsync("/v1/access-requests", new
        {
            datasetId = Restricted, kind = "verify", purpose = "Check callers' identity before a call-back", durationDays = 30,
        });
        var request = await PlatformHost.ReadJsonAsync(response, HttpStatusCode.Created);
        Assert.Equal("verify", request["kind"]!.GetValue<string>());
        var approved = await PlatformHost.ReadJsonAsync(await DecideAsync(owner, request["id"]!.GetValue<string>(), "approve"));
        return approved["grantId"]!.GetValue<string>();
    }

    private static Task<HttpResponseMessage> VerifyAsync(HttpClient client, params object[] records) =>
        client.PostAsJsonAsync($"/v1/datasets/{Restricted}/verify", new { records });

    private static string FullWidth(string s) => new(s.Select(c => c is >= '0' and <= '9' or >= 'A' and <= 'Z' ? (char)(c + 0xFEE0) : c).ToArray());

    [DatabaseTheory, OnEachDatabase]
    public async Task Verification_answers_match_and_per_field_agreement_and_never_a_row_value(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings());
        var owner = Reviewer(host, RestrictedOwner);
        var consumer = Consumer(host, "verifier");
        var row = await RealRowAsync(owner);
        var idCard = row["callerIdCard"]!.GetValue<string>();
        var name = row["callerName"]!.GetValue<string>();
        // Every other value of the row, none of which an answer may carry.
        var others = row.Where(p => p.Key is not ("callerIdCard" or "callerName") && p.Value is JsonValue v && v.TryGetValue<string>(out var s) && s.Length >= 4)
            .Select(p => p.Value!.GetValue<string>()).ToList();
        Assert.NotEmpty(others);
        await DefineAsync(owner, "fields");
        await VerifyGrantAsync(consumer, owner);

        var response = await VerifyAsync(consumer,
            new { callerIdCard = idCard, callerName = name },
            new { callerIdCard = "  " + FullWidth(idCard.ToLowerInvariant()) + " ", callerName = name },
            new { callerIdCard = idCard, callerName = "冒名顶替" },
            new { callerIdCard = "000000000000000000", callerName = name });
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = JsonNode.Parse(text)!["results"]!.AsArray();
        Assert.Equal([true, true, false, false], results.Select(r => r!["match"]!.GetValue<bool>()));
        Assert.True(results[2]!["fields"]!["callerIdCard"]!.GetValue<bool>());
        Assert.False(results[2]!["fields"]!["callerName"]!.GetValue<bool>());
        Assert.False(results[3]!["fields"]!["callerIdCard"]!.GetValue<bool>());
        Assert.False(results[3]!["fields"]!["callerName"]!.GetValue<bool>());
        // Not one value of the row, not even the keys the caller gave (the answer names columns and says true or false).
        foreach (var value in others.Append(idCard).Append(name))
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
        }

        // A malformed call's problem names what to fix, never the value it was given.
        var problem = await VerifyAsync(consumer, new { callerIdCard = idCard });
        var detail = await problem.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, problem.StatusCode);
        Assert.Contains("callerName", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(idCard, detail, StringComparison.Ordinal);

        // The audit trail counts, never records a value.
        Assert.Equal(1L, Convert.ToInt64(await host.QueryScalarAsync("SELECT COUNT(*) FROM audit_log WHERE type = 'verification.called'"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(await host.QueryScalarAsync($"SELECT COUNT(*) FROM audit_log WHERE details LIKE '%{idCard}%'"), System.Globalization.CultureInfo.InvariantCulture));

        // A verify grant reads no row.
        await ProblemAssert.IsProblemAsync(await consumer.GetAsync($"/v1/datasets/{Restricted}/records"), HttpStatusCode.Forbidden, "access.grant_required");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Only_a_verify_grant_verifies(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings());
        var owner = Reviewer(host, RestrictedOwner);
        var row = await RealRowAsync(owner);
        var record = new { callerIdCard = row["callerIdCard"]!.GetValue<string>(), callerName = row["callerName"]!.GetValue<string>() };
        await DefineAsync(owner, "match");

        // No grant at all.
        await ProblemAssert.IsProblemAsync(await VerifyAsync(Consumer(host, "stranger"), record), HttpStatusCode.Forbidden, "verify.grant_required");

        // A records grant reads rows but does not verify.
        var reader = Consumer(host, "reader");
        var id = (await SubmitAsync(reader, Restricted, new[] { "ticketNo", "district" }))["id"]!.GetValue<string>();
        await PlatformHost.ReadJsonAsync(await DecideAsync(owner, id, "approve"));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/v1/datasets/{Restricted}/records?limit=1")).StatusCode);
        await ProblemAssert.IsProblemAsync(await VerifyAsync(reader, record), HttpStatusCode.Forbidden, "verify.grant_required");

        // Its verify grant verifies, and once revoked it stops the very next call.
        var verifier = Consumer(host, "checker");
        var grant = await VerifyGrantAsync(verifier, owner);
        var answer = await PlatformHost.ReadJsonAsync(await VerifyAsync(verifier, record));
        Assert.True(answer["results"]![0]!["match"]!.GetValue<bool>());
        Assert.Null(answer["results"]![0]!["fields"]);
        await PlatformHost.ReadJsonAsync(await owner.PostAsJsonAsync($"/v1/grants/{grant}/revoke", new { reason = "done" }));
        await ProblemAssert.IsProblemAsync(await VerifyAsync(verifier, record), HttpStatusCode.Forbidden, "verify.grant_required");

        // Only the owner defines it.
        await ProblemAssert.IsProblemAsync(await Reviewer(host, SensitiveOwner).PutAsJsonAsync($"/v1/datasets/{Restricted}/verification",
            new { keys = new[] { "callerIdCard" } }), HttpStatusCode.Forbidden, "verify.not_owner");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Match_and_no_match_take_the_same_time(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings());
        var owner = Reviewer(host, RestrictedOwner);
        var consumer = Consumer(host, "timer");
        var row = await RealRowAsync(owner);
        await DefineAsync(owner, "match");
        await VerifyGrantAsync(consumer, owner);
        var match = new { callerIdCard = row["callerIdCard"]!.GetValue<string>(), callerName = row["callerName"]!.GetValue<string>() };
        var miss = new { callerIdCard = "110101199001011234", callerName = "无此人" };
        // Warm up both paths (connections, the index, JIT) before measuring.
        for (var i = 0; i < 3; i++)
        {
            await PlatformHost.ReadJsonAsync(await VerifyAsync(consumer, match));
            await PlatformHost.ReadJsonAsync(await VerifyAsync(consumer, miss));
        }
        var matches = new List<double>();
        var misses = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            // Interleaved, so a slow moment of the machine falls on both.
            foreach (var (record, times, expected) in new[] { (match, matches, true), (miss, misses, false) })
            {
                var watch = Stopwatch.StartNew();
                var answer = await PlatformHost.ReadJsonAsync(await VerifyAsync(consumer, record));
                watch.Stop();
                Assert.Equal(expected, answer["results"]![0]!["match"]!.GetValue<bool>());
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        var (matchMedian, missMedian) = (Median(matches), Median(misses));
        output.WriteLine($"{db}: median of 20 calls, match {matchMedian:F2} ms, no-match {missMedian:F2} ms, difference {Math.Abs(matchMedian - missMedian):F2} ms");
        Assert.True(matchMedian >= 50 && missMedian >= 50, $"both are padded to the 50 ms floor: match {matchMedian:F1} ms, no-match {missMedian:F1} ms");
        Assert.True(Math.Abs(matchMedian - missMedian) <= ToleranceMs, $"match {matchMedian:F1} ms and no-match {missMedian:F1} ms differ by more than {ToleranceMs} ms");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_enumeration_run_hits_the_no_match_limit_and_the_owner_is_alerted_once(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings(noMatchesPerDay: 5));
        var owner = Reviewer(host, RestrictedOwner);
        await PlatformHost.ReadJsonAsync(await host.As(RestrictedOwner, "tenant:admin").PostAsJsonAsync("/v1/webhooks",
            new { url = "https://hooks.example.org/verify", events = new[] { "verify.enumeration_suspected" } }), HttpStatusCode.Created);
        var consumer = Consumer(host, "enumerator");
        await DefineAsync(owner, "match");
        await VerifyGrantAsync(consumer, owner);

        // Guessing ID numbers one by one: five no_match answers are given, the sixth call is refused.
        for (var i = 0; i < 5; i++)
        {
            var answer = await PlatformHost.ReadJsonAsync(await VerifyAsync(consumer, new { callerIdCard = $"33020319800101{i:D4}", callerName = "张三" }));
            Assert.False(answer["results"]![0]!["match"]!.GetValue<bool>());
        }
        for (var i = 0; i < 3; i++)
        {
            var refused = await VerifyAsync(consumer, new { callerIdCard = $"33020319800102{i:D4}", callerName = "张三" });
            await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "verify.no_match_limit");
            Assert.NotNull(refused.Headers.RetryAfter);
        }
        // The owner is told once for the day, however many calls are refused.
        Assert.Equal(1L, Convert.ToInt64(await host.QueryScalarAsync(
            $"SELECT COUNT(*) FROM webhook_deliveries WHERE tenant_id = '{RestrictedOwner}' AND event = 'verify.enumeration_suspected'"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1L, Convert.ToInt64(await host.QueryScalarAsync("SELECT COUNT(*) FROM audit_log WHERE type = 'verification.enumeration_suspected'"),
            System.Globalization.CultureInfo.InvariantCulture));
        // Another tenant's limit is its own.
        var other = Consumer(host, "honest");
        await VerifyGrantAsync(other, owner);
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(other, new { callerIdCard = "330203198001010000", callerName = "张三" })).StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Calls_beyond_the_rate_per_minute_are_refused(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings(callsPerMinute: 3));
        var owner = Reviewer(host, RestrictedOwner);
        var consumer = Consumer(host, "hasty");
        await DefineAsync(owner, "match");
        await VerifyGrantAsync(consumer, owner);
        var record = new { callerIdCard = "330203198001010000", callerName = "张三" };
        // Seven calls fall in at most two minutes, so at least four in one of them: one at least is refused.
        var refusals = 0;
        for (var i = 0; i < 7; i++)
        {
            var response = await VerifyAsync(consumer, record);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await ProblemAssert.IsProblemAsync(response, HttpStatusCode.TooManyRequests, "verify.rate_limited");
                refusals++;
            }
        }
        Assert.InRange(refusals, 1, 4);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_verify_mutation_is_the_same_call(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings());
        var owner = Reviewer(host, RestrictedOwner);
        var row = await RealRowAsync(owner);
        var idCard = row["callerIdCard"]!.GetValue<string>();
        await DefineAsync(owner, "fields");
        var consumer = Consumer(host, "gql-verifier");
        await VerifyGrantAsync(consumer, owner);
        const string Mutation = "mutation($records: [JSON!]!) { verify(datasetId: \"hotline-12345-requests\", records: $records) { match fields } }";
        var records = new object[] { new { callerIdCard = idCard, callerName = row["callerName"]!.GetValue<string>() }, new { callerIdCard = idCard, callerName = "冒名顶替" } };
        var answer = await GraphQLCalls.PostAsync(consumer, Mutation, new { records });
        var results = answer.Ok()["verify"]!.AsArray();
        Assert.Equal([true, false], results.Select(r => r!["match"]!.GetValue<bool>()));
        Assert.False(results[1]!["fields"]!["callerName"]!.GetValue<bool>());
        Assert.DoesNotContain(idCard, answer.Text, StringComparison.Ordinal);
        GraphQLCalls.AssertFieldError(await GraphQLCalls.PostAsync(Consumer(host, "gql-stranger"), Mutation, new { records }), "verify.grant_required", 403);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_licence_check_follows_the_served_version(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings());
        var owner = Reviewer(host, SensitiveOwner);
        await host.CreateDatasetAsync(owner, "verify-licences", "restricted", ("licenceNo", "string"), ("company", "string"), ("phone", "string"));
        Assert.Equal("succeeded", (await host.UploadAsync(owner, "verify-licences", "licenceNo,company,phone\nJY13302030001,宁波甲公司,13800000001\n")).GetProperty("status").GetString());
        await PlatformHost.ReadJsonAsync(await owner.PutAsJsonAsync("/v1/datasets/verify-licences/verification", new { keys = new[] { "licenceNo", "company" } }));
        var consumer = Consumer(host, "licence-checker");
        var request = await PlatformHost.ReadJsonAsync(await consumer.PostAsJsonAsync("/v1/access-requests", new
        {
            datasetId = "verify-licences", kind = "verify", purpose = "Check suppliers' licences before signing", durationDays = 30,
        }), HttpStatusCode.Created);
        await PlatformHost.ReadJsonAsync(await DecideAsync(owner, request["id"]!.GetValue<string>(), "approve"));
        async Task<bool[]> CheckAsync()
        {
            var response = await consumer.PostAsJsonAsync("/v1/datasets/verify-licences/verify", new
            {
                records = new[] { new { licenceNo = "jy13302030001", company = "宁波甲公司" }, new { licenceNo = "ＪＹ１３３０２０３０００２", company = "宁波乙公司 " } },
            });
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("138000", text, StringComparison.Ordinal);
            return JsonNode.Parse(text)!["results"]!.AsArray().Select(r => r!["match"]!.GetValue<bool>()).ToArray();
        }
        var first = await CheckAsync();
        Assert.Equal([true, false], first);
        // A new version replaces the rows: the check follows it (and its table gets its own index on the first call).
        Assert.Equal("succeeded", (await host.UploadAsync(owner, "verify-licences", "licenceNo,company,phone\nJY13302030002,宁波乙公司,13800000002\n")).GetProperty("status").GetString());
        var second = await CheckAsync();
        Assert.Equal([false, true], second);
    }
}
