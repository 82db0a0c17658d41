using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Webhooks;

/// <summary>
/// The rules of tenants' webhooks — what a target, its events and its secret must look like (private and loopback targets refused
/// unless <c>OpenData:Webhooks:AllowPrivateAddresses</c>), secrets generated and sealed, every webhook its tenant's alone (another
/// tenant's answers as none, and so does one of the other environment: a sandbox app's token registers, lists and stops sandbox
/// webhooks, everyone else live ones) — answered as an <see cref="Outcome{T}"/>; SQL is <see cref="WebhookStore"/>'s.
/// </summary>
internal sealed class WebhookService(WebhookStore store, KeyRing keys, IOptions<WebhookOptions> options, TimeProvider clock)
{
    /// <summary>The refusal of a URL that is not an absolute http(s) URL (the portal words it in its language).</summary>
    public const string UrlInvalid = "url is an absolute http(s) URL the platform POSTs events to";

    /// <summary>The refusal of a URL into a private or loopback network, the same words for every refused form.</summary>
    public const string UrlPrivate = "url points into a private or loopback network, which webhooks may not reach";

    /// <summary>Registers a webhook for the caller's tenant; a secret left out is generated and answered this once.</summary>
    public async Task<Outcome<WebhookView>> CreateAsync(ClaimsPrincipal user, NewWebhook body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var tenant = user.TenantId()!;
        var environment = WebhookEnvironments.Of(user);
        var allowed = WebhookEvents.For(environment);
        var errors = new Dictionary<string, string[]>();
        if (!Uri.TryCreate(body.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || body.Url!.Length > 2000)
        {
            errors["url"] = [UrlInvalid];
        }
        else if (!options.Value.AllowPrivateAddresses && WebhookTargetPolicy.IsRefused(url))
        {
            // The same words for every refused form, so the answer does not tell which rule (or which range) the URL met.
            errors["url"] = [UrlPrivate];
        }
        var events = body.Events?.Distinct().ToList() ?? [.. allowed];
        if (events.Count == 0 || events.Any(e => !allowed.Contains(e)))
        {
            errors["events"] = [$"events are some of {string.Join(", ", allowed)}"];
        }
        if (body.Secret is not null && body.Secret.Length is < 16 or > 200)
        {
            errors["secret"] = ["a secret has 16 to 200 characters; leave it out to have one generated"];
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        var generated = body.Secret is null ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)) : null;
        var view = new WebhookView("wh_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), url!.ToString(), events, clock.GetUtcNow(), generated, environment);
        await store.InsertAsync(new WebhookRow
        {
            Id = view.Id,
            TenantId = tenant,
            Url = view.Url,
            Secret = keys.SealText((body.Secret ?? generated)!),
            Events = JsonSerializer.Serialize(events),
            CreatedAt = view.CreatedAt,
            Environment = environment,
        }, cancellationToken);
        return view;
    }

    /// <summary>The caller's tenant's active webhooks of the caller's environment, oldest first; never their secrets.</summary>
    public async Task<WebhookList> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var tenant = user.TenantId();
        var rows = tenant is null ? [] : await store.ListAsync(tenant, WebhookEnvironments.Of(user), cancellationToken);
        return new WebhookList(rows.Select(r => new WebhookView(r.Id, r.Url, JsonSerializer.Deserialize<List<string>>(r.Events)!, r.CreatedAt, null, r.Environment)).ToList());
    }

    /// <summary>Stops a webhook of the caller's tenant; its pending deliveries are dropped. Answers the id stopped.</summary>
    public async Task<Outcome<string>> DeleteAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var tenant = user.TenantId();
        return tenant is not null && await store.DisableAsync(id, tenant, WebhookEnvironments.Of(user), clock.GetUtcNow(), cancellationToken) ? id : NotFound(id);
    }

    /// <summary>The delivery log of a webhook of the caller's tenant (stopped ones too), newest first.</summary>
    public async Task<Outcome<DeliveryList>> DeliveriesAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var tenant = user.TenantId();
        var rows = tenant is null ? null : await store.DeliveriesAsync(id, tenant, WebhookEnvironments.Of(user), cancellationToken);
        if (rows is null)
        {
            return NotFound(id);
        }
        return new DeliveryList(rows.Select(View).ToList());
    }

    /// <summary>
    /// Queues a new delivery of the event and payload of one delivery in the log of an active webhook of the caller's tenant: a fresh delivery id,
    /// no attempts, and (when it is sent) a fresh signature timestamp. The body is the original's byte for byte, so its <c>id</c> still names the
    /// event's first delivery. Another tenant's webhook, or a delivery of another webhook, answers as none; a stopped webhook is a conflict.
    /// </summary>
    public async Task<Outcome<DeliveryView>> RedeliverAsync(ClaimsPrincipal user, string id, string deliveryId, CancellationToken cancellationToken)
    {
        var tenant = user.TenantId();
        if (tenant is null)
        {
            return NotFound(id);
        }
        var (result, row) = await store.RedeliverAsync(id, deliveryId, tenant, WebhookEnvironments.Of(user), WebhookOutbox.NewDeliveryId(), clock.GetUtcNow(), cancellationToken);
        return result switch
        {
            RedeliveryResult.Queued => View(row!),
            RedeliveryResult.NoDelivery => Refusal.NotFound(WebhooksErrors.DeliveryNotFound, $"webhook '{id}' has no delivery '{deliveryId}'"),
            RedeliveryResult.Stopped => Refusal.Conflict(WebhooksErrors.WebhookStopped, $"webhook '{id}' is stopped; nothing is delivered to it any more"),
            _ => NotFound(id),
        };
    }

    private static DeliveryView View(DeliveryRow r) =>
        new(r.Id, r.Event, r.Status, r.Attempts, r.CreatedAt, r.DeliveredAt, r.LastStatus, r.LastError, JsonDocument.Parse(r.Payload).RootElement.Clone());

    private static Refusal NotFound(string id) => Refusal.NotFound(WebhooksErrors.WebhookNotFound, $"the caller's tenant has no webhook '{id}'");
}
