using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenData.Platform.Common;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Webhooks;

/// <summary>
/// Delivers the outbox: each due delivery is claimed (on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>, so nodes share the work),
/// POSTed with <c>X-OpenData-Signature: t=…,v1=…</c> (HMAC-SHA256 of <c>{t}.{body}</c> under the webhook's secret), and
/// marked delivered on a 2xx; otherwise retried with exponential backoff (2, 4, 8 … s, at most an hour) up to 8 attempts.
/// A claim left by a crashed node is taken again a minute later. A sandbox webhook's deliveries are retried sooner
/// (<see cref="WebhookOptions.SandboxRetryMilliseconds"/>, doubled each time), and the first attempts of an event simulated with a
/// failing receiver count as failed (<see cref="SimulatedFailures"/>).
/// Requests go through <see cref="WebhookTransport"/>: only to public addresses (unless <c>OpenData:Webhooks:AllowPrivateAddresses</c>),
/// never following a redirect, and the log records a <see cref="DeliveryFailure"/> word, never the network detail of a failure.
/// </summary>
internal sealed partial class WebhookDelivery(
    Database database, Identity.KeyRing keys, TimeProvider clock, IOptions<WebhookOptions> options, ILogger<WebhookDelivery> logger)
    : BackgroundService
{
    public const int MaxAttempts = 8;
    private readonly HttpClient _http = WebhookTransport.CreateClient(options.Value.AllowPrivateAddresses);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        await PollingLoop.RunAsync(poll, clock, DeliverDueAsync, e => LoopFailed(logger, e), stoppingToken);
    }

    private sealed class Due
    {
        public string Id { get; set; } = "";
        public string WebhookId { get; set; } = "";
        public string Event { get; set; } = "";
        public string Payload { get; set; } = "";
        public int Attempts { get; set; }
        public string Url { get; set; } = "";
        public string Secret { get; set; } = "";
        public string Environment { get; set; } = WebhookEnvironments.Live;
    }

    private async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<Due> due;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            var skipLocked = connection is NpgsqlConnection ? " FOR UPDATE SKIP LOCKED" : "";
            due = (await connection.QueryAsync<Due>(new CommandDefinition(
                $"""
                UPDATE webhook_deliveries SET status = 'sending', next_attempt_at = @lease
                WHERE id IN (SELECT id FROM webhook_deliveries WHERE status IN ('pending', 'retrying', 'sending') AND next_attempt_at <= @now
                             ORDER BY next_attempt_at LIMIT 20{skipLocked})
                RETURNING id, webhook_id, event, payload, attempts,
                    (SELECT url FROM webhooks w WHERE w.id = webhook_deliveries.webhook_id) AS url,
                    (SELECT secret FROM webhooks w WHERE w.id = webhook_deliveries.webhook_id) AS secret,
                    (SELECT environment FROM webhooks w WHERE w.id = webhook_deliveries.webhook_id) AS environment
                """,
                new { now, lease = now.AddMinutes(1) }, cancellationToken: cancellationToken))).ToList();
        }
        foreach (var delivery in due)
        {
            await SendAsync(delivery, cancellationToken);
        }
    }

    private async Task SendAsync(Due delivery, CancellationToken cancellationToken)
    {
        using var span = PlatformTelemetry.Source.StartActivity("webhook.deliver");
        span?.SetTag("opendata.event", delivery.Event);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        int? status = null;
        string? error = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            request.Headers.Add("X-OpenData-Event", delivery.Event);
            request.Headers.Add("X-OpenData-Delivery", delivery.Id);
            request.Headers.Add("X-OpenData-Signature", Sign(keys.UnsealText(delivery.Secret), timestamp, delivery.Payload));
            // Headers are all a delivery needs; the body is never read, so a receiver cannot make the platform buffer it.
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            status = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : DeliveryFailure.HttpStatus;
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookTargetRefusedException)
        {
            error = DeliveryFailure.RefusedTarget;
            TargetRefused(logger, delivery.WebhookId, delivery.Id);
        }
        catch (HttpRequestException e)
        {
            error = e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError
                ? DeliveryFailure.ConnectFailed
                : DeliveryFailure.RequestFailed;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = DeliveryFailure.Timeout;
        }
        var sandbox = delivery.Environment == WebhookEnvironments.Sandbox;
        if (error is null && sandbox && SimulatedFailures.Fails(delivery.Payload, delivery.Attempts))
        {
            error = DeliveryFailure.Simulated;
        }
        var attempts = delivery.Attempts + 1;
        var now = clock.GetUtcNow();
        var outcome = error is null ? "delivered" : attempts >= MaxAttempts ? "failed" : "retrying";
        WebhookTelemetry.Attempted(outcome);
        span?.SetTag("opendata.outcome", outcome);
        var next = sandbox
            ? now.AddMilliseconds(Math.Min(60_000, options.Value.SandboxRetryMilliseconds * Math.Pow(2, attempts - 1)))
            : now.AddSeconds(Math.Min(3600, Math.Pow(2, attempts)));
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_deliveries SET status = @outcome, attempts = @attempts, next_attempt_at = @next, last_status = @status, last_error = @error,
                delivered_at = CASE WHEN @delivered THEN @now ELSE delivered_at END
            WHERE id = @Id
            """,
            new { outcome, attempts, next, status, error, delivered = error is null, now, delivery.Id }, cancellationToken: cancellationToken));
    }

    /// <summary><c>t={timestamp},v1={hex HMAC-SHA256 of "{timestamp}.{body}"}</c>; receivers recompute it and reject old timestamps.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        $"t={timestamp},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)))}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery loop failed; it runs again shortly")]
    private static partial void LoopFailed(ILogger logger, Exception e);

    // Ids only: the host and its addresses stay out of the log, which operators may share more widely than the network plan.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} delivery {DeliveryId} refused: its target does not resolve to public addresses only")]
    private static partial void TargetRefused(ILogger logger, string webhookId, string deliveryId);

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
