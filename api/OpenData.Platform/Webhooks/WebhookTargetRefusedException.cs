namespace OpenData.Platform.Webhooks;

/// <summary>
/// Thrown from the webhook connect callback when a target resolves to an address <see cref="WebhookTargetPolicy"/> refuses. Its message names
/// no host or address, so nothing about the platform's network can travel from it into a log or an answer.
/// </summary>
internal sealed class WebhookTargetRefusedException : Exception
{
    public WebhookTargetRefusedException()
        : base("the webhook target is not a public address")
    {
    }
}
