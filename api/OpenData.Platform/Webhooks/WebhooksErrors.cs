using OpenData.Platform.Common;

namespace OpenData.Platform.Webhooks;

/// <summary>Error codes of webhooks.</summary>
internal static class WebhooksErrors
{
    [ErrorCode(404, "the caller's tenant has no webhook with this id")]
    public const string WebhookNotFound = "webhook.not_found";
}
