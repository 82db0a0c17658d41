using System.Security.Claims;
using System.Text.Json;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Tenancy;
using OpenData.Platform.Webhooks;

namespace OpenData.Platform.Marketplace.Subscriptions;

/// <summary>
/// Subscriptions of apps to a product's plan. A consumer's admin subscribes one of its live apps (one subscription per app, so that the
/// app's usage is the subscription's), accepting the agreement's current version; approval is automatic or the provider's. While
/// active, the app is bound to the subscription (Tenancy's app bounds): its plan is the subscription's — limits enforced by the quota
/// machinery under a partition of its own, RateLimit policies named by the subscription — and it reads the product's datasets only
/// (restricted ones still need their owners' grants). Plan changes take effect at once; for the statement a day is priced at the plan
/// held at its end (CST). Cancelling, a rejection or the end of a retired product's notice unbinds the app.
/// </summary>
internal sealed class SubscriptionService(SubscriptionStore store, ProductStore products, TenancyStore tenancy, TenancyService apps, SubscriptionPlans plans,
    Quotas.QuotaDay day, TimeProvider clock)
{
    public async Task<Outcome<SubscriptionView>> SubscribeAsync(ClaimsPrincipal user, SubscriptionInput body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var tenant = user.TenantId()!;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var product = string.IsNullOrWhiteSpace(body.ProductId) ? null : await products.FindAsync(body.ProductId, cancellationToken);
        if (product is null || product.Status != ProductStatus.Published)
        {
            return product is null || product.ProviderId != tenant
                ? ProductService.NotFound(body.ProductId ?? "")
                : Refusal.Conflict(MarketplaceErrors.ProductStatus, $"'{product.Id}' is {product.Status}: only a published product takes subscriptions");
        }
        if (product.ProviderId == tenant)
        {
            errors["productId"] = ["a provider does not subscribe to its own product"];
        }
        var plan = ProductService.PlansOf(product).FirstOrDefault(p => p.Name == body.Plan);
        if (plan is null)
        {
            errors["plan"] = [$"plan is one of '{product.Id}''s plans: {string.Join(", ", ProductService.PlansOf(product).Select(p => p.Name))}"];
        }
        var app = string.IsNullOrWhiteSpace(body.AppId) ? null : await tenancy.AppByClientIdAsync(body.AppId, cancellationToken);
        if (app is null || app.TenantId != tenant || app.DisabledAt is not null || app.Environment != "live")
        {
            errors["appId"] = ["appId is the client_id of one of the caller's own enabled live apps"];
        }
        else if (app.RedirectUris.Length > 0)
        {
            errors["appId"] = ["the app signs people in (it has redirect URIs): a subscription's app uses client credentials only; make an app for it"];
        }
        if (string.IsNullOrWhiteSpace(body.AgreementVersion))
        {
            errors["agreementVersion"] = [$"agreementVersion is the version of the agreement accepted (now '{product.AgreementVersion}'); read it with GET /v1/products/{product.Id}"];
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        if (body.AgreementVersion != product.AgreementVersion)
        {
            return Outdated(product);
        }
        if (app!.Plan is not null && !plans.Owns(app.Plan) || await store.HeldByAppAsync(app.Id, cancellationToken) is not null)
        {
            return Refusal.Conflict(MarketplaceErrors.AppTaken, $"app '{app.ClientId}' already holds a subscription or is bound to a contest: subscribe another app");
        }
        var now = clock.GetUtcNow();
        var auto = product.Approval == "auto";
        var row = new SubscriptionStore.SubscriptionRow
        {
            Id = "sub_" + Guid.NewGuid().ToString("N")[..16], ProductId = product.Id, ProviderId = product.ProviderId, TenantId = tenant, AppId = app.Id,
            ClientId = app.ClientId, Plan = plan!.Name, AgreementVersion = product.AgreementVersion,
            Status = auto ? SubscriptionStatus.Active : SubscriptionStatus.Pending, DecidedAt = auto ? now : null, DecidedBy = auto ? "auto" : null,
            EndsAt = product.RetiresAt, CreatedBy = user.Actor() ?? tenant, CreatedAt = now, UpdatedAt = now,
        };
        var period = auto ? Period(row.Id, plan) : null;
        var effects = new SubscriptionStore.Effects(
            Entry("subscription.created", user, row, ("plan", row.Plan), ("price", $"{plan.Model} {plan.Amount}"), ("agreementVersion", row.AgreementVersion),
                ("status", row.Status), ("app", row.ClientId)),
            product.ProviderId, WebhookEvents.SubscriptionRequested,
            new { subscriptionId = row.Id, productId = row.ProductId, plan = row.Plan, tenant, status = row.Status });
        if (!await store.InsertAsync(row, period, effects, cancellationToken))
        {
            return Refusal.Conflict(MarketplaceErrors.AppTaken, $"app '{app.ClientId}' already holds a subscription: subscribe another app");
        }
        if (auto)
        {
            await BindAsync(row, product, cancellationToken);
        }
        return await ViewAsync(row, cancellationToken);
    }

    /// <summary>The caller's subscriptions, or with <c>role=provider</c> the subscriptions to its products.</summary>
    public async Task<Outcome<SubscriptionPage>> ListAsync(ClaimsPrincipal user, string? role, CancellationToken cancellationToken)
    {
        if (role is not (null or "subscriber" or "provider"))
        {
            return Refusal.BadRequest(CommonErrors.Validation, "role is subscriber (the caller's subscriptions, the default) or provider (the subscriptions to its products)");
        }
        var rows = await store.ListAsync(user.TenantId()!, role == "provider", cancellationToken);
        var periods = (await store.PeriodsAsync([.. rows.Select(r => r.Id)], cancellationToken)).ToLookup(p => p.SubscriptionId);
        return new SubscriptionPage([.. rows.Select(r => ToView(r, periods[r.Id]))]);
    }

    public async Task<Outcome<SubscriptionView>> GetAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        var tenant = user.TenantId();
        return row is null || (row.TenantId != tenant && row.ProviderId != tenant) ? NotFound(id) : await ViewAsync(row, cancellationToken);
    }

    public async Task<Outcome<SubscriptionView>> DecideAsync(ClaimsPrincipal user, string id, SubscriptionDecision body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var row = await store.FindAsync(id, cancellationToken);
        var tenant = user.TenantId();
        if (row is null || (row.TenantId != tenant && row.ProviderId != tenant))
        {
            return NotFound(id);
        }
        if (row.ProviderId != tenant || !(user.HasScope(Scopes.TenantAdmin) || user.HasScope(Scopes.DatasetsWrite)))
        {
            return Refusal.Forbidden(MarketplaceErrors.NotProductProvider, $"only the provider of '{row.ProductId}' ('{row.ProviderId}') decides its subscriptions");
        }
        if (body.Decision is not ("approve" or "reject"))
        {
            return Refusal.Validation(new Dictionary<string, string[]> { ["decision"] = ["decision is approve or reject"] });
        }
        if (body.Decision == "reject" && string.IsNullOrWhiteSpace(body.Reason))
        {
            return Refusal.Validation(new Dictionary<string, string[]> { ["reason"] = ["a rejection says why (reason), for the subscriber"] });
        }
        if (row.Status != SubscriptionStatus.Pending)
        {
            return Refusal.Conflict(MarketplaceErrors.SubscriptionStatus, $"subscription '{id}' is {row.Status}: only a pending subscription is decided");
        }
        var product = (await products.FindAsync(row.ProductId, cancellationToken))!;
        var plan = ProductService.PlansOf(product).FirstOrDefault(p => p.Name == row.Plan);
        var approve = body.Decision == "approve";
        if (approve && (plan is null || product.Status != ProductStatus.Published))
        {
            return Refusal.Conflict(MarketplaceErrors.ProductStatus,
                plan is null ? $"'{product.Id}' no longer has the plan '{row.Plan}': reject the subscription (the subscriber may ask again)" : $"'{product.Id}' is {product.Status}");
        }
        var now = clock.GetUtcNow();
        row.Status = approve ? SubscriptionStatus.Active : SubscriptionStatus.Rejected;
        row.Reason = string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim();
        row.DecidedBy = user.Actor() ?? tenant;
        row.DecidedAt = row.UpdatedAt = now;
        var effects = new SubscriptionStore.Effects(Entry("subscription.decided", user, row, ("decision", body.Decision), ("reason", row.Reason), ("plan", row.Plan)),
            row.TenantId, WebhookEvents.SubscriptionDecided, new { subscriptionId = row.Id, productId = row.ProductId, decision = body.Decision, reason = row.Reason });
        if (!await store.ChangeAsync(row, SubscriptionStatus.Pending, null, approve ? Period(row.Id, plan!) : null, effects, cancellationToken))
        {
            return Refusal.Conflict(MarketplaceErrors.SubscriptionStatus, $"subscription '{id}' was decided or cancelled meanwhile");
        }
        if (approve)
        {
            await BindAsync(row, product, cancellationToken);
        }
        return await ViewAsync(row, cancellationToken);
    }

    public async Task<Outcome<SubscriptionView>> ChangeAsync(ClaimsPrincipal user, string id, SubscriptionChange body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var (row, refusal) = await SubscribersAsync(user, id, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        if (row!.Status != SubscriptionStatus.Active || Ended(row))
        {
            return Refusal.Conflict(MarketplaceErrors.SubscriptionStatus, $"subscription '{id}' is {StatusOf(row)}: only an active subscription changes plan");
        }
        var product = (await products.FindAsync(row.ProductId, cancellationToken))!;
        var plan = ProductService.PlansOf(product).FirstOrDefault(p => p.Name == body.Plan);
        if (plan is null)
        {
            return Refusal.Validation(new Dictionary<string, string[]>
            {
                ["plan"] = [$"plan is one of '{product.Id}''s plans: {string.Join(", ", ProductService.PlansOf(product).Select(p => p.Name))}"],
            });
        }
        // New terms since the subscription was accepted are accepted with the change.
        if (row.AgreementVersion != product.AgreementVersion && body.AgreementVersion != product.AgreementVersion)
        {
            return Outdated(product);
        }
        if (plan.Name == row.Plan && row.AgreementVersion == product.AgreementVersion)
        {
            return await ViewAsync(row, cancellationToken);
        }
        var before = row.Plan;
        var today = day.Today;
        row.Plan = plan.Name;
        row.AgreementVersion = product.AgreementVersion;
        row.UpdatedAt = clock.GetUtcNow();
        var effects = new SubscriptionStore.Effects(Entry("subscription.plan_changed", user, row, ("plan", row.Plan), ("planBefore", before),
            ("price", $"{plan.Model} {plan.Amount}"), ("agreementVersion", row.AgreementVersion)));
        if (!await store.ChangeAsync(row, SubscriptionStatus.Active, Day(today.AddDays(-1)), Period(row.Id, plan), effects, cancellationToken))
        {
            return Refusal.Conflict(MarketplaceErrors.SubscriptionStatus, $"subscription '{id}' was cancelled meanwhile");
        }
        plans.Forget(row.Id);
        return await ViewAsync(row, cancellationToken);
    }

    public async Task<Outcome<SubscriptionView>> CancelAsync(ClaimsPrincipal user, string id, SubscriptionCancel? body, CancellationToken cancellationToken)
    {
        var (row, refusal) = await SubscribersAsync(user, id, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        if (row!.Status is not (SubscriptionStatus.Pending or SubscriptionStatus.Active) || Ended(row))
        {
            return Refusal.Conflict(MarketplaceErrors.SubscriptionStatus, $"subscription '{id}' is {StatusOf(row)}: only a pending or active subscription is cancelled");
        }
        var from = row.Status;
        row.Status = SubscriptionStatus.Cancelled;
        row.Reason = string.IsNullOrWhiteSpace(body?.Reason) ? null : body.Reason.Trim();
        row.EndsAt = row.UpdatedAt = clock.GetUtcNow();
        var effects = new SubscriptionStore.Effects(Entry("subscription.cancelled", user, row, ("reason", row.Reason), ("plan", row.Plan)),
            row.ProviderId, WebhookEvents.SubscriptionDecided, new { subscriptionId = row.Id, productId = row.ProductId, decision = "cancelled", reason = row.Reason });
        // The day of a cancellation is the subscription's last.
        if (!await store.ChangeAsync(row, from, from == SubscriptionStatus.Active ? day.TodayKey : null, null, effects, cancellationToken))
        {
            return Refusal.Conflict(MarketplaceErrors.SubscriptionStatus, $"subscription '{id}' was decided or cancelled meanwhile");
        }
        if (from == SubscriptionStatus.Active)
        {
            await apps.SetAppBoundsAsync(row.AppId, AppBounds.None, cancellationToken);
            plans.Forget(row.Id);
        }
        return await ViewAsync(row, cancellationToken);
    }

    /// <summary>The subscription when the caller is its subscriber with tenant:admin (its provider reads it but does not change it).</summary>
    private async Task<(SubscriptionStore.SubscriptionRow? Row, Refusal? Refusal)> SubscribersAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        var tenant = user.TenantId();
        if (row is null || (row.TenantId != tenant && row.ProviderId != tenant))
        {
            return (null, NotFound(id));
        }
        if (row.TenantId != tenant || !user.HasScope(Scopes.TenantAdmin))
        {
            return (null, Refusal.Forbidden(CommonErrors.InsufficientScope, $"only the subscriber's admins (tenant:admin of '{row.TenantId}') change or cancel subscription '{id}'"));
        }
        return (row, null);
    }

    /// <summary>Binds the subscription's app: its plan is the subscription, its datasets the product's.</summary>
    private async Task BindAsync(SubscriptionStore.SubscriptionRow row, ProductStore.ProductRow product, CancellationToken cancellationToken)
    {
        await apps.SetAppBoundsAsync(row.AppId, new AppBounds(row.Id, ProductService.DatasetsOf(product)), cancellationToken);
        plans.Forget(row.Id);
    }

    private SubscriptionStore.PeriodRow Period(string subscriptionId, StoredPlan plan) => new()
    {
        SubscriptionId = subscriptionId, Seq = 1, Plan = plan.Name, PriceModel = plan.Model, Amount = plan.Amount,
        Limits = JsonSerializer.Serialize(plan.Limits, ProductService.Json), FromDay = day.TodayKey,
    };

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private bool Ended(SubscriptionStore.SubscriptionRow row) => row.Status == SubscriptionStatus.Active && row.EndsAt is { } ends && ends <= clock.GetUtcNow();

    /// <summary>The status as answered: an active subscription past its end (a retired product's) has ended.</summary>
    private string StatusOf(SubscriptionStore.SubscriptionRow row) => Ended(row) ? SubscriptionStatus.Ended : row.Status;

    private async Task<SubscriptionView> ViewAsync(SubscriptionStore.SubscriptionRow row, CancellationToken cancellationToken) =>
        ToView(row, await store.PeriodsAsync([row.Id], cancellationToken));

    private SubscriptionView ToView(SubscriptionStore.SubscriptionRow row, IEnumerable<SubscriptionStore.PeriodRow> periods) =>
        new(row.Id, row.ProductId, row.ProviderId, row.TenantId, row.ClientId, row.Plan, row.AgreementVersion, StatusOf(row), row.Reason, row.DecidedAt, row.EndsAt,
            row.CreatedAt, row.UpdatedAt,
            [.. periods.OrderBy(p => p.Seq).Select(p => new PeriodView(p.Plan, new PriceView(p.PriceModel, p.Amount, Money.Currency),
                JsonSerializer.Deserialize<LimitsView>(p.Limits, ProductService.Json)!, p.FromDay, p.ToDay))]);

    private static Refusal Outdated(ProductStore.ProductRow product) =>
        Refusal.Conflict(MarketplaceErrors.AgreementOutdated,
            $"the agreement of '{product.Id}' is at version '{product.AgreementVersion}': read it (GET /v1/products/{product.Id}) and accept that version");

    private static Audit.AuditEvent Entry(string type, ClaimsPrincipal user, SubscriptionStore.SubscriptionRow row, params (string Key, object? Value)[] details) =>
        new(type, user.TenantId(), user.Actor(), null, row.ProviderId, row.Id,
            Audit.AuditDetails.Of([("subscription", row.Id), ("product", row.ProductId), ("subscriber", row.TenantId), .. details]));

    internal static Refusal NotFound(string id) => Refusal.NotFound(MarketplaceErrors.SubscriptionNotFound, $"no subscription '{id}' is the caller's");
}
