using System.Text.Json;

namespace OpenData.Platform.Webhooks;

/// <summary>The body of <c>POST /v1/webhooks</c>: where to POST, which events (all when absent), and a secret (generated when absent).</summary>
internal sealed record NewWebhook(string? Url, IReadOnlyList<string>? Events, string? Secret);

/// <summary>
/// A webhook; <c>secret</c> is shown only when the platform generated it, once. <c>environment</c> is the environment of the app that
/// registered it: <c>live</c> webhooks get live events only, <c>sandbox</c> ones the sandbox's simulated events only.
/// </summary>
internal sealed record WebhookView(string Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, string? Secret, string Environment);

internal sealed record WebhookList(IReadOnlyList<WebhookView> Items);

/// <summary>
/// One delivery of an event to a webhook: its state, attempts and the receiver's last answer. <c>lastError</c> is one of the words in
/// <see cref="DeliveryFailure"/> (<c>refused_target</c>, <c>timeout</c>, <c>connect_failed</c>, <c>request_failed</c>, <c>http_status</c>), never network detail.
/// </summary>
internal sealed record DeliveryView(string Id, string Event, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt, int? LastStatus, string? LastError,
    JsonElement Payload);

internal sealed record DeliveryList(IReadOnlyList<DeliveryView> Items);
