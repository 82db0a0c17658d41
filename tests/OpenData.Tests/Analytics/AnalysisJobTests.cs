using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OpenData.Platform.Analytics.Jobs;
using OpenData.Platform.Audit;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Analytics;

/// <summary>
/// Analysis jobs through the airlock, as attacks on each database: the requester tries to see a job's outputs (or even a row count)
/// before the owner released them and after a rejection; another tenant and the owner of another dataset try to read or decide the job;
/// the owner tries to decide twice. Released outputs are the checked ones: the small cell is suppressed, the withheld query absent.
/// </summary>
public sealed class AnalysisJobTests(AnalysisJobTests.StaffHosts hosts) : IClassFixture<AnalysisJobTests.StaffHosts>
{
    private const string Staff = "job-staff";
    private const string Owner = "ningbo-civil-affairs";
    private const string OtherOwner = "ningbo-transport";

    /// <summary>One host per database with restricted staff: district A 30, B 25, C 3 people (a small cell), grades g1 and g2.</summary>
    public sealed class StaffHosts : SeededHosts
    {
        protected override async Task PrepareAsync(PlatformHost host)
        {
            var owner = Reviewer(host, Owner);
            var response = await owner.PostAsJsonAsync("/v1/datasets", new
            {
                id = Staff, title = "Staff", description = "made-up staff", theme = "public-services", classification = "restricted",
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
            foreach (var (district, count) in new[] { ("A", 30), ("B", 25), ("C", 3) })
            {
                for (var i = 0; i < count; i++, n++)
                {
                    csv.Append(CultureInfo.InvariantCulture, $"员工{n},{district},g{1 + n % 2},{3_000 + n * 10}\n");
                }
            }
            Assert.Equal("succeeded", (await host.UploadAsync(owner, Staff, csv.ToString())).GetProperty("status").GetString());
        }
    }

    private static readonly object[] TwoQueries =
    [
        new { groupBy = new[] { "district" }, measures = new[] { "count" } },
        new { groupBy = new[] { "grade" }, measures = new[] { "count" } },
    ];

    private static async Task<string> SubmitAsync(HttpClient requester, object[] queries)
    {
        var response = await requester.PostAsJsonAsync("/v1/analysis-jobs", new { datasetId = Staff, queries });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var body = await PlatformHost.ReadJsonAsync(response, HttpStatusCode.Accepted);
        Assert.Equal("queued", body["status"]!.GetValue<string>());
        return body["id"]!.GetValue<string>();
    }

    /// <summary>What the requester gets for its job: never an output before release; and the raw response is checked too.</summary>
    private static async Task<JsonNode> RequesterSeesNoOutputAsync(HttpClient requester, string id)
    {
        var response = await requester.GetAsync($"/v1/analysis-jobs/{id}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var job = JsonNode.Parse(text)!;
        Assert.Null(job["outputs"]);
        Assert.DoesNotContain("groups", text, StringComparison.Ordinal);
        Assert.DoesNotContain("suppressed", text, StringComparison.Ordinal);
        var listed = JsonNode.Parse(await requester.GetStringAsync("/v1/analysis-jobs"))!.AsArray().Single(j => j!["id"]!.GetValue<string>() == id)!;
        Assert.Null(listed["outputs"]);
        Assert.DoesNotContain("groups", listed.ToJsonString(), StringComparison.Ordinal);
        return job;
    }

    /// <summary>Waits until the worker checked the job, asserting all the while that the requester sees nothing of it.</summary>
    private static async Task<JsonNode> AwaitReviewAsync(HttpClient owner, HttpClient requester, string id)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var job = await RequesterSeesNoOutputAsync(requester, id);
            Assert.Contains(job["status"]!.GetValue<string>(), new[] { "queued", "running", "awaiting_review" });
            var inbox = JsonNode.Parse(await owner.GetStringAsync("/v1/analysis-jobs?role=reviewer"))!.AsArray();
            var mine = inbox.Single(j => j!["id"]!.GetValue<string>() == id)!;
            if (mine["status"]!.GetValue<string>() == "awaiting_review")
            {
                return mine;
            }
            Assert.NotEqual("failed", mine["status"]!.GetValue<string>());
            await Task.Delay(100);
        }
        throw new TimeoutException($"job {id} was not checked in time");
    }

    private static JsonNode District(JsonNode output, string district) =>
        output["groups"]!.AsArray().Single(g => g!["district"]!.GetValue<string>() == district)!;

    [DatabaseTheory, OnEachDatabase]
    public async Task Outputs_reach_the_requester_only_once_released_checked_and_minus_the_withheld(string db)
    {
        var host = await hosts.GetAsync(db);
        var requester = Consumer(host, "job-requester-" + db);
        var owner = Reviewer(host, Owner);

        var id = await SubmitAsync(requester, TwoQueries);
        var review = await AwaitReviewAsync(owner, requester, id);

        // The owner sees the checked outputs: C (3 people, under k = 10) suppressed, and what the checks suppressed counted.
        var outputs = review["outputs"]!.AsArray();
        Assert.Equal(2, outputs.Count);
        Assert.True(District(outputs[0]!, "C")["suppressed"]!.GetValue<bool>());
        Assert.Null(District(outputs[0]!, "C")["count"]);
        Assert.True(outputs[0]!["suppressed"]!.GetValue<int>() >= 1);
        await RequesterSeesNoOutputAsync(requester, id);

        // Another tenant neither sees nor decides it; the owner of another dataset neither; the requester is not the owner.
        var stranger = Consumer(host, "job-stranger-" + db);
        await ProblemAssert.IsProblemAsync(await stranger.GetAsync($"/v1/analysis-jobs/{id}"), HttpStatusCode.NotFound, "analysis_job.not_found");
        Assert.DoesNotContain(id, await stranger.GetStringAsync("/v1/analysis-jobs?role=reviewer"), StringComparison.Ordinal);
        var otherOwner = Reviewer(host, OtherOwner);
        await ProblemAssert.IsProblemAsync(await otherOwner.PostAsJsonAsync($"/v1/analysis-jobs/{id}/decision", new { decision = "release", reason = "mine now" }),
            HttpStatusCode.NotFound, "analysis_job.not_found");
        Assert.DoesNotContain(id, await otherOwner.GetStringAsync("/v1/analysis-jobs?role=reviewer"), StringComparison.Ordinal);
        // The requester cannot release its own job: deciding takes datasets:write, and the dataset's ownership.
        var selfApproval = await requester.PostAsJsonAsync($"/v1/analysis-jobs/{id}/decision", new { decision = "release", reason = "trust me" });
        Assert.Equal(HttpStatusCode.Forbidden, selfApproval.StatusCode);
        await RequesterSeesNoOutputAsync(requester, id);

        // A bad decision changes nothing; the owner releases query 0 and withholds query 1, once.
        await ProblemAssert.IsProblemAsync(await owner.PostAsJsonAsync($"/v1/analysis-jobs/{id}/decision", new { decision = "release", reason = "ok", withhold = new[] { 2 } }),
            HttpStatusCode.BadRequest, "request.validation");
        var released = await owner.PostAsJsonAsync($"/v1/analysis-jobs/{id}/decision", new { decision = "release", reason = "aggregates only", withhold = new[] { 1 } });
        Assert.True(released.StatusCode == HttpStatusCode.OK, await released.Content.ReadAsStringAsync());
        await ProblemAssert.IsProblemAsync(await owner.PostAsJsonAsync($"/v1/analysis-jobs/{id}/decision", new { decision = "reject", reason = "changed my mind" }),
            HttpStatusCode.Conflict, "analysis_job.not_awaiting_review");

        var job = JsonNode.Parse(await requester.GetStringAsync($"/v1/analysis-jobs/{id}"))!;
        Assert.Equal("released", job["status"]!.GetValue<string>());
        var output = Assert.Single(job["outputs"]!.AsArray())!;
        Assert.Equal(0, output["query"]!.GetValue<int>());
        Assert.True(District(output, "C")["suppressed"]!.GetValue<bool>());
        Assert.Null(District(output, "C")["count"]);
        // The published counts are near the truth (noise), never the suppressed cell's.
        Assert.InRange(District(output, "A")["count"]!.GetValue<long>(), 20, 40);
        Assert.Equal(new[] { 1 }, job["withheld"]!.AsArray().Select(w => w!.GetValue<int>()));

        // The same queries in another job draw the same noise: submitting again and again averages nothing away.
        var again = await AwaitReviewAsync(owner, requester, await SubmitAsync(requester, TwoQueries));
        Assert.Equal(review["outputs"]!.ToJsonString(), again["outputs"]!.ToJsonString());

        // Every step is audited, with the job as subject and never an output.
        foreach (var type in new[] { "analysis_job.submitted", "analysis_job.checked", "analysis_job.released" })
        {
            var audit = await PlatformHost.ReadJsonAsync(await AccessScenarios.Platform(host).GetAsync($"/v1/audit?type={type}"));
            var entry = Assert.Single(audit["items"]!.AsArray(), e => e!["subject"]?.GetValue<string>() == id)!;
            Assert.Equal(Staff, entry["datasetId"]!.GetValue<string>());
            Assert.DoesNotContain("groups", entry.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_rejected_job_never_shows_its_outputs(string db)
    {
        var host = await hosts.GetAsync(db);
        var requester = Consumer(host, "job-rejected-" + db);
        var owner = Reviewer(host, Owner);

        var id = await SubmitAsync(requester, TwoQueries);
        await AwaitReviewAsync(owner, requester, id);
        var rejected = await owner.PostAsJsonAsync($"/v1/analysis-jobs/{id}/decision", new { decision = "reject", reason = "too fine a grouping" });
        Assert.True(rejected.StatusCode == HttpStatusCode.OK, await rejected.Content.ReadAsStringAsync());
        await ProblemAssert.IsProblemAsync(await owner.PostAsJsonAsync($"/v1/analysis-jobs/{id}/decision", new { decision = "release", reason = "after all" }),
            HttpStatusCode.Conflict, "analysis_job.not_awaiting_review");

        var job = await RequesterSeesNoOutputAsync(requester, id);
        Assert.Equal("rejected", job["status"]!.GetValue<string>());
        Assert.Equal("too fine a grouping", job["reason"]!.GetValue<string>());
        var rejections = await PlatformHost.ReadJsonAsync(await AccessScenarios.Platform(host).GetAsync("/v1/audit?type=analysis_job.rejected"));
        Assert.Single(rejections["items"]!.AsArray(), e => e!["subject"]?.GetValue<string>() == id);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_job_is_checked_at_submission_naming_the_query_and_field(string db)
    {
        var host = await hosts.GetAsync(db);
        var requester = Consumer(host, "job-invalid-" + db);

        var unknown = await requester.PostAsJsonAsync("/v1/analysis-jobs", new
        {
            datasetId = Staff, queries = new object[] { TwoQueries[0], new { groupBy = new[] { "nowhere" }, measures = new[] { "count" } } },
        });
        var problem = await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.BadRequest, "query.unknown_column");
        Assert.Contains("queries[1]", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var minimum = await requester.PostAsJsonAsync("/v1/analysis-jobs", new { datasetId = Staff, queries = new object[] { new { groupBy = new[] { "district" }, measures = new[] { "min(salary)" } } } });
        problem = await ProblemAssert.IsProblemAsync(minimum, HttpStatusCode.BadRequest, "aggregate.invalid_measure");
        Assert.Contains("queries[0]: measures", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await requester.PostAsJsonAsync("/v1/analysis-jobs", new { datasetId = Staff, queries = Array.Empty<object>() }),
            HttpStatusCode.BadRequest, "request.validation");
        await ProblemAssert.IsProblemAsync(await requester.PostAsJsonAsync("/v1/analysis-jobs", new { datasetId = Staff, queries = Enumerable.Repeat(TwoQueries[0], 21).ToArray() }),
            HttpStatusCode.BadRequest, "request.validation");
        Assert.Empty(JsonNode.Parse(await requester.GetStringAsync("/v1/analysis-jobs"))!.AsArray());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Two_nodes_never_run_one_job_and_a_dead_nodes_job_is_taken_over_once(string db)
    {
        // The host's own worker looks once at start, then not for an hour: the nodes here are the only ones racing.
        await using var host = await PlatformHost.StartAsync(db, new Dictionary<string, string?> { ["OpenData:AnalysisJobs:PollInterval"] = "01:00:00" });
        await Task.Delay(1000);
        var store = host.Required<AnalysisJobStore>();
        var now = DateTimeOffset.UtcNow;
        await store.InsertAsync(new AnalysisJobStore.JobRow
        {
            Id = "job_lease", TenantId = "lease-tenant", Requester = "lease-tenant", DatasetId = "none", OwnerId = Owner, Queries = "[]",
            Status = "queued", CreatedAt = now, UpdatedAt = now,
        }, new AuditEvent("analysis_job.submitted", "lease-tenant", null, "none", Owner, "job_lease", AuditDetails.Of()), CancellationToken.None);

        var first = await Task.WhenAll(Enumerable.Range(0, 8).Select(n => store.LeaseAsync("job_lease", "node" + n, now, now.AddMinutes(10), CancellationToken.None)));
        Assert.Single(first, leased => leased);
        Assert.False(await store.LeaseAsync("job_lease", "late", now.AddMinutes(5), now.AddMinutes(15), CancellationToken.None));

        // The lease ran out (its node died): exactly one other node takes the job over, and the dead node can no longer store an outcome.
        var rescue = await Task.WhenAll(Enumerable.Range(0, 8).Select(n => store.LeaseAsync("job_lease", "rescuer" + n, now.AddMinutes(11), now.AddMinutes(21), CancellationToken.None)));
        Assert.Single(rescue, leased => leased);
        var dead = "node" + Array.IndexOf(first, true);
        var rescuer = "rescuer" + Array.IndexOf(rescue, true);
        var checkedEntry = new AuditEvent("analysis_job.checked", "lease-tenant", null, "none", Owner, "job_lease", AuditDetails.Of());
        Assert.False(await store.FinishAsync("job_lease", dead, "awaiting_review", "[]", null, now.AddMinutes(12), checkedEntry, CancellationToken.None));
        Assert.True(await store.FinishAsync("job_lease", rescuer, "awaiting_review", "[]", null, now.AddMinutes(12), checkedEntry, CancellationToken.None));
        Assert.Equal("awaiting_review", (await store.FindAsync("job_lease", CancellationToken.None))!.Status);
    }
}
