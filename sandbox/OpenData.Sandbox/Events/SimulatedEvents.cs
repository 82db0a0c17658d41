using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;
using OpenData.Platform.Webhooks;

namespace OpenData.Sandbox.Events;

/// <summary>
/// Simulated webhook events for a sandbox app's tenant (<c>POST /v1/sandbox/events</c>): each is written to the tenant's sandbox webhooks
/// subscribed to its type through the live outbox, delivery worker and signature, its body marked <c>"environment": "sandbox"</c>. The
/// data has the shape of the live event's, with made-up ids (<c>ar_sbx_…</c>, <c>gr_sbx_…</c>); a dataset named in the request lends its
/// id, version and column names, which the catalogue shows anyone, and nothing else.
/// </summary>
internal sealed class SimulatedEvents(WebhookOutbox outbox, DatasetDirectory directory, TimeProvider clock)
{
    /// <summary>The dataset a simulated event is about when the request names none.</summary>
    public const string ExampleDataset = "sandbox-example";

    /// <summary>The types the sandbox simulates: every live webhook event, and the sandbox's own (a new version, a schema change).</summary>
    public static IReadOnlyList<string> Types => WebhookEvents.For(WebhookEnvironments.Sandbox);

    public async Task<Outcome<SimulatedEventResult>> RaiseAsync(ClaimsPrincipal caller, SimulatedEventRequest body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Type is not { } type || !Types.Contains(type))
        {
            return Refusal.BadRequest(SandboxErrors.EventTypeUnknown,
                $"type {(body.Type is null ? "is required" : $"'{body.Type}' is not one the sandbox simulates")}: one of {string.Join(", ", Types)}");
        }
        if (body.Simulate is { } simulate && !SimulatedFailures.All.Contains(simulate))
        {
            return Refusal.BadRequest(SandboxErrors.SimulationUnknown, $"simulate '{simulate}' is not a receiver the sandbox plays: one of {string.Join(", ", SimulatedFailures.All)}, or leave it out");
        }
        var about = ExampleSubject;
        if (!string.IsNullOrEmpty(body.DatasetId))
        {
            var dataset = await directory.FindAsync(body.DatasetId, cancellationToken);
            if (dataset is null)
            {
                return DatasetDirectory.NotFound(body.DatasetId);
            }
            about = new Subject(dataset.Id, dataset.CurrentVersion ?? 0, dataset.Columns.Select(c => (c.Name, ColumnTypes.Name(c.Type))).ToList());
        }
        var tenant = caller.TenantId()!;
        var deliveries = await outbox.EnqueueSimulatedAsync(tenant, type, DataOf(type, about, clock.GetUtcNow()), body.Simulate, cancellationToken);
        return new SimulatedEventResult(type, WebhookEnvironments.Sandbox, deliveries, body.Simulate, deliveries.Count > 0 ? null
            : $"no sandbox webhook of this tenant is subscribed to {type}: the event was simulated and delivered nowhere. Register one with this sandbox app's token "
              + $"(POST /v1/webhooks with events including {type}, or none for all), then simulate again");
    }

    /// <summary>The dataset an event is about: its id, current version and columns (name, wire type).</summary>
    private sealed record Subject(string Dataset, int Version, IReadOnlyList<(string Name, string Type)> Columns);

    private static readonly Subject ExampleSubject = new(ExampleDataset, 3, [("name", "string"), ("mobile", "string"), ("district", "string"), ("registeredOn", "date")]);

    /// <summary>The event's <c>data</c>, shaped as the live event's (see Access, Monitoring), with made-up ids and values.</summary>
    private static object DataOf(string type, Subject about, DateTimeOffset now)
    {
        var columns = about.Columns.Take(2).Select(c => c.Name).ToList();
        var requester = "sbx-requester-" + Hex(3);
        return type switch
        {
            WebhookEvents.Submitted => new
            {
                request = "ar_sbx_" + Hex(8), datasetId = about.Dataset, requester, columns,
                purpose = "Simulated request: a sandbox rehearsal of an access request (模拟申请)", durationDays = 90,
            },
            WebhookEvents.Decided => new
            {
                request = "ar_sbx_" + Hex(8), datasetId = about.Dataset, decision = "approve", status = "approved", reason = (string?)null,
                grant = "gr_sbx_" + Hex(8), expiresAt = (DateTimeOffset?)now.AddDays(90),
            },
            WebhookEvents.Expiring => new { grant = "gr_sbx_" + Hex(8), datasetId = about.Dataset, expiresAt = now.AddDays(7) },
            WebhookEvents.Revoked => new { grant = "gr_sbx_" + Hex(8), datasetId = about.Dataset, reason = "simulated revocation (sandbox)" },
            WebhookEvents.UsageAnomaly => new
            {
                dataset = about.Dataset, tenant = requester, day = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), rows = 184_000L, median = 2_300L, factor = 80.0,
            },
            WebhookEvents.VersionPublished => new { dataset = about.Dataset, previousVersion = about.Version, version = about.Version + 1, publishedAt = now },
            WebhookEvents.SchemaChanged => new
            {
                dataset = about.Dataset, previousVersion = about.Version, version = about.Version + 1,
                added = new[] { new { name = "sbxAddedColumn", type = "string" } },
                removed = about.Columns.Count > 1 ? [about.Columns[^1].Name] : Array.Empty<string>(),
                retyped = Array.Empty<object>(),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a simulated event type"),
        };
    }

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
