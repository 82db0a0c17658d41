namespace OpenData.Platform.Webhooks;

/// <summary>
/// Why a delivery attempt failed, as the delivery log shows it (<c>lastError</c>). Short stable words, never exception text: messages such as
/// "Connection refused (10.0.0.7:5432)" would let a caller map which internal hosts and ports answer.
/// </summary>
internal static class DeliveryFailure
{
    /// <summary>The target resolved to an address webhooks may not reach; nothing was sent.</summary>
    public const string RefusedTarget = "refused_target";

    /// <summary>No answer within the delivery timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The name did not resolve, or no connection (TCP or TLS) could be made.</summary>
    public const string ConnectFailed = "connect_failed";

    /// <summary>A connection was made but the exchange broke off before an answer.</summary>
    public const string RequestFailed = "request_failed";

    /// <summary>The receiver answered with a status other than 2xx (a redirect included); <c>lastStatus</c> holds it.</summary>
    public const string HttpStatus = "http_status";

    /// <summary>
    /// Sandbox only: the event was simulated with a failing receiver (<c>simulate: fail_twice</c>), so this attempt counts as failed
    /// whatever the receiver answered (<c>lastStatus</c> holds its real answer); the delivery is retried as any other.
    /// </summary>
    public const string Simulated = "simulated_failure";
}
