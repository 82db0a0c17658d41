using System.Diagnostics.Metrics;
using OpenData.Platform.Common;

namespace OpenData.Platform.Webhooks;

/// <summary>
/// Webhook delivery attempts by outcome: <c>delivered</c>, <c>retrying</c> (this attempt failed, another follows) or <c>failed</c>
/// (the last attempt failed; the delivery is given up). An attempt is also a span (<c>webhook.deliver</c>).
/// </summary>
internal static class WebhookTelemetry
{
    public static readonly Counter<long> Deliveries = PlatformTelemetry.Meter.CreateCounter<long>("opendata.webhook.deliveries", "{attempt}",
        "Webhook delivery attempts by outcome (delivered, retrying, failed: given up after the last attempt)");

    private static readonly KeyValuePair<string, object?> Delivered = new("outcome", "delivered");
    private static readonly KeyValuePair<string, object?> Retrying = new("outcome", "retrying");
    private static readonly KeyValuePair<string, object?> Failed = new("outcome", "failed");

    public static void Attempted(string outcome) =>
        Deliveries.Add(1, outcome switch { "delivered" => Delivered, "retrying" => Retrying, _ => Failed });
}
