using System.ComponentModel.DataAnnotations;

namespace OpenData.Platform.Webhooks;

/// <summary>Webhook delivery (section <c>OpenData:Webhooks</c>), validated at start.</summary>
internal sealed class WebhookOptions
{
    public const string Section = "OpenData:Webhooks";

    /// <summary>How often the outbox is polled for deliveries due, in milliseconds (the grant-expiry announcer polls as often).</summary>
    [Range(10, 600_000)]
    public int PollMilliseconds { get; set; } = 500;

    /// <summary>
    /// The first retry delay of a sandbox webhook's delivery, in milliseconds, doubled at each further attempt (at most a minute): short,
    /// so a developer sees a simulated failing receiver retried within seconds. Live deliveries wait 2, 4, 8 … s.
    /// </summary>
    [Range(10, 60_000)]
    public int SandboxRetryMilliseconds { get; set; } = 1000;

    /// <summary>Allow hooks into private, loopback and link-local addresses (tests and closed networks only; off by default).</summary>
    public bool AllowPrivateAddresses { get; set; }
}
