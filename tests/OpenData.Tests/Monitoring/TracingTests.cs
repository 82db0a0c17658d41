using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Monitoring;

/// <summary>
/// Traces: a request carrying a W3C <c>traceparent</c> continues that trace through the read path's spans (plan, sql, transform,
/// write), the database client's span on PostgreSQL, and the <c>traceId</c> of a problem names the same trace.
/// </summary>
public sealed class TracingTests
{
    private const string Villages = "ningbo-villages";

    private sealed class Spans : IDisposable
    {
        private readonly ActivityListener _listener;

        public Spans(ActivityTraceId trace)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is "OpenData" or "Microsoft.AspNetCore" or "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.TraceId == trace)
                    {
                        Stopped.Add(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public ConcurrentBag<Activity> Stopped { get; } = [];

        public void Dispose() => _listener.Dispose();
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_traceparent_is_continued_through_the_read_paths_spans_and_named_by_the_problem(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var trace = ActivityTraceId.CreateRandom();
        var parent = ActivitySpanId.CreateRandom();
        using var spans = new Spans(trace);
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Add("traceparent", $"00-{trace.ToHexString()}-{parent.ToHexString()}-01");

        (await client.GetAsync($"/v1/datasets/{Villages}/records?limit=3")).EnsureSuccessStatusCode();
        // The request's own span ends after the answer is written: wait for it rather than sleep.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!spans.Stopped.Any(a => a.Source.Name == "Microsoft.AspNetCore") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        var stopped = spans.Stopped.ToList();
        var request = Assert.Single(stopped, a => a.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(parent, request.ParentSpanId);
        foreach (var name in new[] { "records.plan", "records.sql", "records.transform", "records.write" })
        {
            var span = Assert.Single(stopped, a => a.OperationName == name);
            Assert.Equal(Villages, span.GetTagItem("opendata.dataset"));
            // Each is a descendant of the request's span, in the caller's trace.
            Assert.Equal(trace, span.TraceId);
            Assert.Contains(stopped, a => a.SpanId == span.ParentSpanId);
        }
        if (db == Db.Postgres)
        {
            // The database client's own span sits under the SQL step.
            var sql = stopped.Single(a => a.OperationName == "records.sql");
            Assert.Contains(stopped, a => a.Source.Name == "Npgsql" && a.ParentSpanId == sql.SpanId);
        }

        // An error answered in the same trace names it in its problem's traceId (W3C id: version-trace-span-flags).
        var problem = await ProblemAssert.IsProblemAsync(await client.GetAsync("/v1/datasets/no-such-dataset/records"), HttpStatusCode.NotFound, "dataset.not_found");
        var traceId = problem["traceId"]!.GetValue<string>();
        Assert.Equal(trace.ToHexString(), traceId.Split('-')[1]);
    }
}
