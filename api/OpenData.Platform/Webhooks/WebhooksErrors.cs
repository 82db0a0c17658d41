using OpenData.Platform.Common;

namespace OpenData.Platform.Webhooks;

/// <summary>Error codes of webhooks.</summary>
internal static class WebhooksErrors
{
    [ErrorCode(404, "the caller's tenant has no webhook with this id")]
    public const string WebhookNotFound = "webhook.not_found";

    [ErrorCode(404, "the webhook's delivery log has no delivery with this id")]
    public const string DeliveryNotFound = "webhook.delivery_not_found";

    [ErrorCode(409, "the webhook is stopped, so nothing is delivered to it any more; register it again to receive events")]
    public const string WebhookStopped = "webhook.stopped";
}
