using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Access;

/// <summary>Every state × action of an access request over HTTP, on both databases: allowed → the new state, not allowed → 409.</summary>
public sealed class AccessWorkflowTests
{
    private static readonly string[] Actions = ["approve", "reject", "request-changes", "withdraw", "resubmit"];

    /// <summary>The contract's table, written out: state → action → next state (null: 409).</summary>
    private static readonly Dictionary<string, Dictionary<string, string?>> Expected = new()
    {
        ["submitted"] = new() { ["approve"] = "approved", ["reject"] = "rejected", ["request-changes"] = "changes_requested", ["withdraw"] = "withdrawn", ["resubmit"] = null },
        ["owner_approved"] = new() { ["approve"] = "approved", ["reject"] = "rejected", ["request-changes"] = "changes_requested", ["withdraw"] = "withdrawn", ["resubmit"] = null },
        ["approved"] = new() { ["approve"] = null, ["reject"] = null, ["request-changes"] = null, ["withdraw"] = null, ["resubmit"] = null },
        ["rejected"] = new() { ["approve"] = null, ["reject"] = null, ["request-changes"] = null, ["withdraw"] = null, ["resubmit"] = null },
        ["changes_requested"] = new() { ["approve"] = null, ["reject"] = null, ["request-changes"] = null, ["withdraw"] = "withdrawn", ["resubmit"] = "submitted" },
        ["withdrawn"] = new() { ["approve"] = null, ["reject"] = null, ["request-changes"] = null, ["withdraw"] = null, ["resubmit"] = null },
    };

    /// <summary>Brings a fresh request of <paramref name="tenant"/> to <paramref name="state"/>; answers its id and whether the platform decides next.</summary>
    private static async Task<(string Id, string Dataset)> RequestInStateAsync(PlatformHost host, string tenant, string state)
    {
        var dataset = state == "owner_approved" ? Sensitive : Restricted;
        var owner = Reviewer(host, dataset == Sensitive ? SensitiveOwner : RestrictedOwner);
        var consumer = Consumer(host, tenant);
        var id = (await SubmitAsync(consumer, dataset))["id"]!.GetValue<string>();
        var step = state switch
        {
            "submitted" => null,
            "owner_approved" or "approved" => DecideAsync(owner, id, "approve"),
            "rejected" => DecideAsync(owner, id, "reject"),
            "changes_requested" => DecideAsync(owner, id, "request-changes"),
            _ => consumer.PostAsJsonAsync($"/v1/access-requests/{id}/withdraw", new { reason = "no longer needed" }),
        };
        if (step is not null)
        {
            var moved = await PlatformHost.ReadJsonAsync(await step);
            Assert.Equal(state, moved["status"]!.GetValue<string>());
        }
        return (id, dataset);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Every_state_and_action_moves_as_the_contract_says_or_answers_409(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        await CreateSensitiveAsync(host);
        var failures = new List<string>();
        foreach (var (state, row) in Expected)
        {
            foreach (var action in Actions)
            {
                var tenant = $"wf-{state}-{action}".Replace('_', '-');
                var (id, dataset) = await RequestInStateAsync(host, tenant, state);
                var consumer = Consumer(host, tenant);
                var decider = state == "owner_approved" ? AccessScenarios.Platform(host) : Reviewer(host, dataset == Sensitive ? SensitiveOwner : RestrictedOwner);
                var response = action switch
                {
                    "withdraw" or "resubmit" => await consumer.PostAsJsonAsync($"/v1/access-requests/{id}/{action}", new { reason = "by the requester" }),
                    _ => await DecideAsync(decider, id, action),
                };
                var body = await response.Content.ReadAsStringAsync();
                var expected = row[action];
                if (expected is null)
                {
                    if (response.StatusCode != HttpStatusCode.Conflict || !body.Contains("access.invalid_transition", StringComparison.Ordinal))
                    {
                        failures.Add($"{state} × {action}: expected 409, got {(int)response.StatusCode} {body}");
                    }
                    continue;
                }
                var after = response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(body)! : null;
                if (after?["status"]?.GetValue<string>() != expected)
                {
                    failures.Add($"{state} × {action}: expected {expected}, got {(int)response.StatusCode} {body}");
                    continue;
                }
                // The history ends with this transition, and the request read back agrees.
                var last = after["history"]!.AsArray()[^1]!;
                if (last["from"]?.GetValue<string>() != state || last["to"]!.GetValue<string>() != expected)
                {
                    failures.Add($"{state} × {action}: history ends {last.ToJsonString()}");
                }
                var read = await PlatformHost.ReadJsonAsync(await consumer.GetAsync($"/v1/access-requests/{id}"));
                if (read["status"]!.GetValue<string>() != expected)
                {
                    failures.Add($"{state} × {action}: read back {read["status"]}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Two_reviewers_racing_on_one_request_one_wins_and_the_other_gets_409(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        for (var round = 0; round < 5; round++)
        {
            var id = (await SubmitAsync(Consumer(host, $"race-{round}"), Restricted))["id"]!.GetValue<string>();
            var first = Reviewer(host, RestrictedOwner);
            var second = Reviewer(host, RestrictedOwner);
            var answers = await Task.WhenAll(DecideAsync(first, id, "approve"), DecideAsync(second, id, "reject"));
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
            var read = await PlatformHost.ReadJsonAsync(await first.GetAsync($"/v1/access-requests/{id}"));
            Assert.Equal(2, read["history"]!.AsArray().Count);
            Assert.Contains(read["status"]!.GetValue<string>(), new[] { "approved", "rejected" });
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Only_the_right_party_acts_and_bad_input_is_named(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var consumer = Consumer(host, "party");
        var id = (await SubmitAsync(consumer, Restricted))["id"]!.GetValue<string>();
        // The requester cannot decide; another owner cannot even see the request; the platform does not decide the owner's stage.
        await ProblemAssert.IsProblemAsync(await DecideAsync(consumer, id, "approve"), HttpStatusCode.Forbidden, "auth.insufficient_scope");
        await ProblemAssert.IsProblemAsync(await DecideAsync(Reviewer(host, "ningbo-civil-affairs"), id, "approve"), HttpStatusCode.NotFound, "access.request_not_found");
        await ProblemAssert.IsProblemAsync(await DecideAsync(AccessScenarios.Platform(host), id, "approve"), HttpStatusCode.Forbidden, "access.not_reviewer");
        await ProblemAssert.IsProblemAsync(await Reviewer(host, RestrictedOwner).PostAsJsonAsync($"/v1/access-requests/{id}/withdraw", new { }), HttpStatusCode.Forbidden, "auth.insufficient_scope");
        // A consumer's app never holds access:review, nor an owner's access:request: should such a token exist, the workflow's
        // own checks still refuse the wrong party.
        await ProblemAssert.IsProblemAsync(await DecideAsync(await host.ForgedAsync("party", "access:review"), id, "approve"), HttpStatusCode.Forbidden, "access.not_reviewer");
        await ProblemAssert.IsProblemAsync(await (await host.ForgedAsync(RestrictedOwner, "access:request")).PostAsJsonAsync($"/v1/access-requests/{id}/withdraw", new { }),
            HttpStatusCode.Forbidden, "access.not_requester");
        await ProblemAssert.IsProblemAsync(await Reviewer(host, RestrictedOwner).PostAsJsonAsync($"/v1/access-requests/{id}/decision", new { decision = "approve" }),
            HttpStatusCode.BadRequest, "request.validation");
        await ProblemAssert.IsProblemAsync(await DecideAsync(Reviewer(host, RestrictedOwner), id, "approve", columns: new[] { "notAColumn" }), HttpStatusCode.BadRequest, "request.validation");
        await ProblemAssert.IsProblemAsync(await DecideAsync(Reviewer(host, RestrictedOwner), id, "approve", expiresAt: DateTimeOffset.UtcNow.AddDays(400)), HttpStatusCode.BadRequest, "request.validation");
        // One open request per dataset and tenant; open data needs none; unknown columns are named.
        await ProblemAssert.IsProblemAsync(await consumer.PostAsJsonAsync("/v1/access-requests", new { datasetId = Restricted, purpose = "Research on response times", durationDays = 30 }),
            HttpStatusCode.Conflict, "access.request_open");
        var open = await ProblemAssert.IsProblemAsync(await Consumer(host, "party-2").PostAsJsonAsync("/v1/access-requests", new { datasetId = "ningbo-villages", purpose = "Research on villages", durationDays = 30 }),
            HttpStatusCode.BadRequest, "request.validation");
        Assert.Contains("need no request", open["errors"]!["datasetId"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var bad = await ProblemAssert.IsProblemAsync(await Consumer(host, "party-2").PostAsJsonAsync("/v1/access-requests",
            new { datasetId = Restricted, columns = new[] { "nope" }, purpose = "short", durationDays = 0 }), HttpStatusCode.BadRequest, "request.validation");
        Assert.Equal(3, bad["errors"]!.AsObject().Count);
        await ProblemAssert.IsProblemAsync(await Consumer(host, "party-2").PostAsJsonAsync("/v1/access-requests", new { datasetId = "nope", purpose = "Research on nothing at all", durationDays = 3 }),
            HttpStatusCode.NotFound, "dataset.not_found");
    }
}
