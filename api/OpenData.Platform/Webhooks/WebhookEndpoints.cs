using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Webhooks;

/// <summary>The body of <c>POST /v1/webhooks</c>: where to POST, which events (all when absent), and a secret (generated when absent).</summary>
internal sealed record NewWebhook(string? Url, IReadOnlyList<string>? Events, string? Secret);

/// <summary>A webhook; <c>secret</c> is shown only when the platform generated it, once.</summary>
internal sealed record WebhookView(string Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, string? Secret);

internal sealed record WebhookList(IReadOnlyList<WebhookView> Items);

/// <summary>
/// One delivery of an event to a webhook: its state, attempts and the receiver's last answer. <c>lastError</c> is one of the words in
/// <see cref="DeliveryFailure"/> (<c>refused_target</c>, <c>timeout</c>, <c>connect_failed</c>, <c>request_failed</c>, <c>http_status</c>), never network detail.
/// </summary>
internal sealed record DeliveryView(string Id, string Event, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt, int? LastStatus, string? LastError,
    JsonElement Payload);

internal sealed record DeliveryList(IReadOnlyList<DeliveryView> Items);

/// <summary>Tenants' webhooks: register, list, remove, and read the delivery log. Another tenant's webhook answers 404.</summary>
internal static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Webhooks");
        group.MapPost("/webhooks", Create).WithName("CreateWebhook").RequireAuthorization(Scopes.TenantAdmin)
            .Refuses(CommonErrors.Validation)
            .WithSummary("Register a webhook for the caller's tenant: URL, events, secret for the HMAC-SHA256 signature.");
        group.MapGet("/webhooks", List).WithName("ListWebhooks").RequireAuthorization(Scopes.TenantAdmin)
            .WithSummary("The tenant's webhooks.");
        group.MapDelete("/webhooks/{id}", Delete).WithName("DeleteWebhook").RequireAuthorization(Scopes.TenantAdmin)
            .Refuses(WebhooksErrors.WebhookNotFound)
            .WithSummary("Stop a webhook; its pending deliveries are dropped.");
        group.MapGet("/webhooks/{id}/deliveries", Deliveries).WithName("ListWebhookDeliveries").RequireAuthorization(Scopes.TenantAdmin)
            .Refuses(WebhooksErrors.WebhookNotFound)
            .WithSummary("The delivery log of a webhook, newest first.");
        return group;
    }

    internal static async Task<Results<Created<WebhookView>, ProblemHttpResult>> Create(
        NewWebhook body, ClaimsPrincipal user, Database database, KeyRing keys, IOptions<WebhookOptions> options, HttpRequest request, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var tenant = user.TenantId()!;
        var errors = new Dictionary<string, string[]>();
        if (!Uri.TryCreate(body.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || body.Url!.Length > 2000)
        {
            errors["url"] = ["url is an absolute http(s) URL the platform POSTs events to"];
        }
        else if (!options.Value.AllowPrivateAddresses && WebhookTargetPolicy.IsRefused(url))
        {
            // The same words for every refused form, so the answer does not tell which rule (or which range) the URL met.
            errors["url"] = ["url points into a private or loopback network, which webhooks may not reach"];
        }
        var events = body.Events?.Distinct().ToList() ?? [.. WebhookEvents.All];
        if (events.Count == 0 || events.Any(e => !WebhookEvents.All.Contains(e)))
        {
            errors["events"] = [$"events are some of {string.Join(", ", WebhookEvents.All)}"];
        }
        if (body.Secret is not null && body.Secret.Length is < 16 or > 200)
        {
            errors["secret"] = ["a secret has 16 to 200 characters; leave it out to have one generated"];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        var generated = body.Secret is null ? Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)) : null;
        var view = new WebhookView("wh_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)), url!.ToString(), events, clock.GetUtcNow(), generated);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO webhooks (id, tenant_id, url, secret, events, created_at) VALUES (@Id, @tenant, @Url, @secret, @events, @CreatedAt)",
            new { view.Id, tenant, view.Url, secret = keys.SealText((body.Secret ?? generated)!), events = JsonSerializer.Serialize(events), view.CreatedAt }, cancellationToken: cancellationToken));
        return TypedResults.Created($"{PublicUrl.Base(request)}/v1/webhooks/{view.Id}", view);
    }

    private sealed class WebhookRow
    {
        public string Id { get; set; } = "";
        public string Url { get; set; } = "";
        public string Events { get; set; } = "[]";
        public DateTimeOffset CreatedAt { get; set; }
    }

    internal static async Task<Ok<WebhookList>> List(ClaimsPrincipal user, Database database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<WebhookRow>(new CommandDefinition(
            "SELECT id, url, events, created_at FROM webhooks WHERE tenant_id = @tenant AND disabled_at IS NULL ORDER BY created_at",
            new { tenant = user.TenantId() }, cancellationToken: cancellationToken));
        return TypedResults.Ok(new WebhookList(rows.Select(r => new WebhookView(r.Id, r.Url, JsonSerializer.Deserialize<List<string>>(r.Events)!, r.CreatedAt, null)).ToList()));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, ClaimsPrincipal user, Database database, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var gone = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhooks SET disabled_at = @now WHERE id = @id AND tenant_id = @tenant AND disabled_at IS NULL",
            new { id, tenant = user.TenantId(), now = clock.GetUtcNow() }, transaction, cancellationToken: cancellationToken));
        if (gone == 0)
        {
            return NotFound(id);
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_deliveries SET status = 'dropped' WHERE webhook_id = @id AND status IN ('pending', 'retrying')", new { id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private sealed class DeliveryRow
    {
        public string Id { get; set; } = "";
        public string Event { get; set; } = "";
        public string Status { get; set; } = "";
        public int Attempts { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? DeliveredAt { get; set; }
        public int? LastStatus { get; set; }
        public string? LastError { get; set; }
        public string Payload { get; set; } = "{}";
    }

    internal static async Task<Results<Ok<DeliveryList>, ProblemHttpResult>> Deliveries(string id, ClaimsPrincipal user, Database database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var owned = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM webhooks WHERE id = @id AND tenant_id = @tenant", new { id, tenant = user.TenantId() }, cancellationToken: cancellationToken));
        if (owned == 0)
        {
            return NotFound(id);
        }
        var rows = await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            "SELECT id, event, status, attempts, created_at, delivered_at, last_status, last_error, payload FROM webhook_deliveries WHERE webhook_id = @id ORDER BY created_at DESC LIMIT 200",
            new { id }, cancellationToken: cancellationToken));
        return TypedResults.Ok(new DeliveryList(rows.Select(r => new DeliveryView(r.Id, r.Event, r.Status, r.Attempts, r.CreatedAt, r.DeliveredAt, r.LastStatus, r.LastError,
            JsonDocument.Parse(r.Payload).RootElement.Clone())).ToList()));
    }

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound(WebhooksErrors.WebhookNotFound, $"the caller's tenant has no webhook '{id}'");
}
