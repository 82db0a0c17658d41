using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;
using OpenData.Platform.Marketplace.Subscriptions;
using OpenData.Platform.Tenancy;

namespace OpenData.Platform.Marketplace.Products;

/// <summary>
/// Products of the marketplace: an owner (数源单位), or a tenant the operator licensed as a provider, offers one or more datasets as a
/// product of a kind, with plans (limits and a price in CNY), an agreement with a version, and approval by hand or automatic. A
/// product's datasets are its provider's own or open data. Drafts are the provider's; a published product is listed for anyone
/// and takes subscriptions; a retired one takes none, its subscriptions end after the notice given and its subscribers are told
/// (webhook <c>product.retiring</c>). Every change is audited with the prices and agreement it set.
/// </summary>
internal sealed partial class ProductService(ProductStore store, DatasetDirectory directory, TenancyStore tenancy, ProductSubscribers subscribers, TimeProvider clock)
{
    public const int MaxPlans = 10;
    public const int MaxDatasets = 20;
    public const int DefaultNoticeDays = 30;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$")]
    private static partial Regex Slug();

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,31}$")]
    private static partial Regex PlanName();

    public async Task<Outcome<ProductPage>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var rows = await store.ListAsync(user.TenantId(), cancellationToken);
        return new ProductPage([.. rows.Select(ToView)]);
    }

    /// <summary>A published product for anyone; a draft or retired one for its provider too (anyone else: 404).</summary>
    public async Task<Outcome<ProductView>> GetAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        if (row is null || (row.Status != ProductStatus.Published && row.ProviderId != user.TenantId()))
        {
            return NotFound(id);
        }
        return ToView(row, (await store.AgreementAsync(id, row.AgreementVersion, cancellationToken))?.Text);
    }

    /// <summary>Every version of a product's agreement (the versions subscribers accepted stay readable).</summary>
    public async Task<Outcome<IReadOnlyList<AgreementVersionView>>> AgreementsAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var product = await GetAsync(user, id, cancellationToken);
        if (product.Refusal is { } refusal)
        {
            return refusal;
        }
        return (await store.AgreementsAsync(id, cancellationToken)).Select(a => new AgreementVersionView(a.Version, a.Text, a.CreatedAt)).ToList();
    }

    public async Task<Outcome<ProductView>> CreateAsync(ClaimsPrincipal user, ProductInput body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (await ProviderRefusalAsync(user, cancellationToken) is { } notProvider)
        {
            return notProvider;
        }
        var tenant = user.TenantId()!;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.Id is null || !Slug().IsMatch(body.Id))
        {
            errors["id"] = ["id is a slug of 3 to 64 characters: lower-case letters, digits and '-', e.g. \"hotline-open-api\""];
        }
        var row = new ProductStore.ProductRow { Id = body.Id ?? "", ProviderId = tenant, Approval = "manual", Status = ProductStatus.Draft };
        await ApplyAsync(row, body, creating: true, tenant, errors, cancellationToken);
        if (body.Status is not (null or ProductStatus.Draft or ProductStatus.Published))
        {
            errors["status"] = ["a new product is draft (the default) or published"];
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        var now = clock.GetUtcNow();
        row.Status = body.Status ?? ProductStatus.Draft;
        row.CreatedAt = row.UpdatedAt = now;
        var agreement = new ProductStore.AgreementRow { ProductId = row.Id, Version = body.Agreement!.Version!.Trim(), Text = body.Agreement.Text!, CreatedAt = now };
        row.AgreementVersion = agreement.Version;
        if (!await store.InsertAsync(row, agreement, Entry("product.created", user, row, ("status", row.Status), ("plans", PricesOf(row)),
                ("agreementVersion", row.AgreementVersion)), cancellationToken))
        {
            return Refusal.Conflict(MarketplaceErrors.ProductExists, $"a product '{row.Id}' exists; choose another id");
        }
        return ToView(row, agreement.Text);
    }

    public async Task<Outcome<ProductView>> UpdateAsync(ClaimsPrincipal user, string id, ProductInput body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var row = await store.FindAsync(id, cancellationToken);
        var tenant = user.TenantId();
        if (row is null || (row.Status != ProductStatus.Published && row.ProviderId != tenant))
        {
            return NotFound(id);
        }
        if (row.ProviderId != tenant || !MayPublish(user))
        {
            return Refusal.Forbidden(MarketplaceErrors.NotProvider, $"only the provider of '{id}' ('{row.ProviderId}', with tenant:admin or datasets:write) changes it");
        }
        if (row.Status == ProductStatus.Retired)
        {
            return Refusal.Conflict(MarketplaceErrors.ProductStatus, $"'{id}' is retired: a retired product is final");
        }
        if (body.Id is not null && body.Id != id)
        {
            return Refusal.BadRequest(CommonErrors.Validation, "id: a product's id does not change");
        }
        var before = row.UpdatedAt;
        var was = new { row.Status, Prices = PricesOf(row), row.AgreementVersion, row.Datasets, row.Approval };
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        await ApplyAsync(row, body, creating: false, tenant!, errors, cancellationToken);
        var now = clock.GetUtcNow();
        ProductStore.AgreementRow? agreement = null;
        if (body.Agreement is { } newAgreement && errors.Count == 0)
        {
            var version = newAgreement.Version!.Trim();
            var known = await store.AgreementAsync(id, version, cancellationToken);
            if (known is null)
            {
                agreement = new ProductStore.AgreementRow { ProductId = id, Version = version, Text = newAgreement.Text!, CreatedAt = now };
                row.AgreementVersion = version;
            }
            else if (known.Text != newAgreement.Text)
            {
                errors["agreement"] = [$"version '{version}' of the agreement exists with another text: a changed agreement takes a new version"];
            }
            else
            {
                row.AgreementVersion = version;
            }
        }
        var notices = new List<(string Tenant, object Data)>();
        var ending = new List<string>();
        switch (body.Status)
        {
            case null:
                break;
            case var s when s == row.Status:
                break;
            case ProductStatus.Published when row.Status == ProductStatus.Draft:
                row.Status = ProductStatus.Published;
                break;
            case ProductStatus.Retired:
                if (body.NoticeDays is < 0 or > 365)
                {
                    errors["noticeDays"] = ["noticeDays is from 0 (at once) to 365; the default is 30"];
                    break;
                }
                row.Status = ProductStatus.Retired;
                row.RetiresAt = now.AddDays(body.NoticeDays ?? DefaultNoticeDays);
                foreach (var subscriber in await subscribers.ActiveSubscribersAsync(id, cancellationToken))
                {
                    notices.Add((subscriber.Tenant, new { productId = id, subscriptionId = subscriber.Subscription, endsAt = row.RetiresAt }));
                    ending.Add(subscriber.Subscription);
                }
                break;
            default:
                errors["status"] = [$"'{id}' is {row.Status}: a draft is published, a published product is retired (with noticeDays)"];
                break;
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        row.UpdatedAt = now;
        var entry = Entry(row.Status == was.Status ? "product.updated" : "product." + row.Status, user, row,
            ("status", row.Status), ("statusBefore", was.Status), ("plans", PricesOf(row)), ("plansBefore", was.Prices),
            ("agreementVersion", row.AgreementVersion), ("agreementVersionBefore", was.AgreementVersion), ("approval", row.Approval),
            ("retiresAt", row.RetiresAt), ("subscribersNotified", notices.Count));
        if (!await store.UpdateAsync(row, before, agreement, entry, notices, cancellationToken))
        {
            return Refusal.Conflict(MarketplaceErrors.ProductStatus, $"'{id}' was changed meanwhile: read it again and retry");
        }
        if (row.Status == ProductStatus.Retired)
        {
            await subscribers.ProductRetiredAsync(id, row.RetiresAt!.Value, ending, cancellationToken);
        }
        return ToView(row, (await store.AgreementAsync(id, row.AgreementVersion, cancellationToken))?.Text);
    }

    /// <summary>Whether a tenant may publish products: an owner, or a licensed provider (and the person or app holds the rights).</summary>
    private async Task<Refusal?> ProviderRefusalAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var tenant = user.TenantId();
        if (tenant is null || !MayPublish(user))
        {
            return Refusal.Forbidden(MarketplaceErrors.NotProvider, "publishing products needs tenant:admin or datasets:write");
        }
        var kind = (await tenancy.TenantAsync(tenant, cancellationToken))?.Kind;
        if (kind == "owner" || await store.LicensedAsync(tenant, cancellationToken))
        {
            return null;
        }
        return Refusal.Forbidden(MarketplaceErrors.NotProvider,
            $"'{tenant}' is neither a data owner nor a licensed provider: the operator licenses providers (POST /v1/tenants/{{id}}/provider-licence)");
    }

    private static bool MayPublish(ClaimsPrincipal user) => user.HasScope(Scopes.TenantAdmin) || user.HasScope(Scopes.DatasetsWrite);

    /// <summary>Checks and applies the fields the body gives (all of them when creating), adding what is wrong to <paramref name="errors"/>.</summary>
    private async Task ApplyAsync(ProductStore.ProductRow row, ProductInput body, bool creating, string tenant, Dictionary<string, string[]> errors,
        CancellationToken cancellationToken)
    {
        if (creating || body.Title is not null)
        {
            if (string.IsNullOrWhiteSpace(body.Title) || body.Title.Length > 200)
            {
                errors["title"] = ["title is required, at most 200 characters"];
            }
            row.Title = body.Title?.Trim() ?? "";
        }
        if (body.TitleEn is not null)
        {
            if (body.TitleEn.Length > 200)
            {
                errors["titleEn"] = ["titleEn is at most 200 characters"];
            }
            row.TitleEn = body.TitleEn.Trim().Length == 0 ? null : body.TitleEn.Trim();
        }
        if (creating || body.Description is not null)
        {
            if (string.IsNullOrWhiteSpace(body.Description) || body.Description.Length > 4000)
            {
                errors["description"] = ["description is required, at most 4,000 characters"];
            }
            row.Description = body.Description?.Trim() ?? "";
        }
        if (body.DescriptionEn is not null)
        {
            if (body.DescriptionEn.Length > 4000)
            {
                errors["descriptionEn"] = ["descriptionEn is at most 4,000 characters"];
            }
            row.DescriptionEn = body.DescriptionEn.Trim().Length == 0 ? null : body.DescriptionEn.Trim();
        }
        if (body.Documentation is not null)
        {
            if (body.Documentation.Length > 50_000)
            {
                errors["documentation"] = ["documentation is at most 50,000 characters (Markdown)"];
            }
            row.Documentation = body.Documentation.Length == 0 ? null : body.Documentation;
        }
        if (creating || body.Kind is not null)
        {
            if (body.Kind is null || !ProductKind.All.Contains(body.Kind))
            {
                errors["kind"] = [$"kind is one of {string.Join(", ", ProductKind.All)}"];
            }
            row.Kind = body.Kind ?? "";
        }
        if (creating || body.Datasets is not null)
        {
            var datasets = await CheckDatasetsAsync(body.Datasets, tenant, errors, cancellationToken);
            if (datasets is not null && row.Kind != ProductKind.Bundle && datasets.Count > 1 && !errors.ContainsKey("kind"))
            {
                errors["datasets"] = [$"a {row.Kind} product offers one dataset; several datasets make a bundle (kind: bundle)"];
            }
            row.Datasets = JsonSerializer.Serialize(datasets ?? [], Json);
        }
        if (creating || body.Plans is not null)
        {
            var plans = CheckPlans(body.Plans, errors);
            row.Plans = JsonSerializer.Serialize(plans ?? [], Json);
        }
        if (creating || body.Agreement is not null)
        {
            var agreement = body.Agreement;
            if (agreement is null || string.IsNullOrWhiteSpace(agreement.Version) || agreement.Version.Trim().Length > 32)
            {
                errors["agreement"] = ["agreement is {version, text}: a version of at most 32 characters (e.g. \"2026-12\" or \"1.0\") and the terms"];
            }
            else if (string.IsNullOrWhiteSpace(agreement.Text) || agreement.Text.Length > 50_000)
            {
                errors["agreement"] = ["agreement.text holds the terms subscribers accept (at most 50,000 characters)"];
            }
        }
        if (creating || body.Approval is not null)
        {
            if (body.Approval is not (null or "auto" or "manual"))
            {
                errors["approval"] = ["approval is auto (subscriptions start at once) or manual (the provider decides each)"];
            }
            row.Approval = body.Approval ?? "manual";
        }
    }

    private async Task<List<string>?> CheckDatasetsAsync(IReadOnlyList<string?>? ids, string tenant, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (ids is null || ids.Count is 0 or > MaxDatasets)
        {
            errors["datasets"] = [$"datasets names 1 to {MaxDatasets} dataset ids"];
            return null;
        }
        var kept = new List<string>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var dataset = id is null ? null : await directory.FindAsync(id, cancellationToken);
            if (dataset is null)
            {
                errors["datasets"] = [$"there is no dataset '{id}'"];
                return null;
            }
            // A provider offers its own data, or open data (which anyone may build a service on); never another owner's restricted rows.
            if (dataset.OwnerId != tenant && dataset.Classification != Classification.Open)
            {
                errors["datasets"] = [$"'{dataset.Id}' is {dataset.Classification.ToString().ToLowerInvariant()} data of '{dataset.OwnerId}': a product offers its provider's own datasets or open data"];
                return null;
            }
            kept.Add(dataset.Id);
        }
        return kept;
    }

    private static List<StoredPlan>? CheckPlans(IReadOnlyList<PlanInput?>? plans, Dictionary<string, string[]> errors)
    {
        if (plans is null || plans.Count is 0 or > MaxPlans)
        {
            errors["plans"] = [$"plans lists 1 to {MaxPlans} plans, each {{name, title?, price: {{model, amount}}, limits}}"];
            return null;
        }
        var kept = new List<StoredPlan>();
        for (var i = 0; i < plans.Count; i++)
        {
            var plan = plans[i];
            string? Problem()
            {
                if (plan is null || plan.Name is null || !PlanName().IsMatch(plan.Name))
                {
                    return "name is one lower-case word of up to 32 letters, digits, '_' or '-' (e.g. \"basic\")";
                }
                if (kept.Any(p => p.Name == plan.Name))
                {
                    return $"two plans are named '{plan.Name}'";
                }
                if (plan.Title is { Length: > 100 })
                {
                    return "title is at most 100 characters";
                }
                if (plan.Price?.Model is not { } model || !PriceModel.All.Contains(model))
                {
                    return $"price.model is one of {string.Join(", ", PriceModel.All)}";
                }
                if (model == PriceModel.Free)
                {
                    if (plan.Price.Amount is not null && Money.Parse(plan.Price.Amount).Value != 0m)
                    {
                        return "a free plan's amount is \"0\" (or left out)";
                    }
                }
                else
                {
                    var (amount, error) = Money.Parse(plan.Price.Amount);
                    if (error is not null)
                    {
                        return "price.amount: " + error;
                    }
                    if (amount == 0m)
                    {
                        return $"a {model} plan's amount is above 0 (a plan for nothing is model free)";
                    }
                }
                var limits = plan.Limits ?? new LimitsInput(null, null, null, null, null);
                if (new[] { limits.RatePerSecond, limits.Burst, limits.DailyRequests, limits.DailyRows, limits.ExportRows }.Any(l => l is < 0 or > int.MaxValue))
                {
                    return "limits are whole numbers from 0 (or left out: unlimited)";
                }
                if (limits.RatePerSecond is null != limits.Burst is null || limits.RatePerSecond is 0 || limits.Burst is 0)
                {
                    return "limits.ratePerSecond and limits.burst are both at least 1, or both left out";
                }
                return null;
            }
            if (Problem() is { } problem)
            {
                errors[$"plans[{i}]"] = [$"plans[{i}]: {problem}"];
                return null;
            }
            var price = plan!.Price!;
            var l = plan.Limits ?? new LimitsInput(null, null, null, null, null);
            kept.Add(new StoredPlan(plan.Name!, plan.Title?.Trim(), price.Model!,
                price.Model == PriceModel.Free ? "0" : Money.Write(Money.Parse(price.Amount).Value!.Value),
                new LimitsView(l.RatePerSecond, l.Burst, l.DailyRequests, l.DailyRows, l.ExportRows)));
        }
        return kept;
    }

    private static Audit.AuditEvent Entry(string type, ClaimsPrincipal user, ProductStore.ProductRow row, params (string Key, object? Value)[] details) =>
        new(type, user.TenantId(), user.Actor(), null, row.ProviderId, row.Id, Audit.AuditDetails.Of([("product", row.Id), .. details]));

    /// <summary>Each plan's price, for the audit trail: <c>{name: "model amount"}</c>.</summary>
    private static Dictionary<string, string> PricesOf(ProductStore.ProductRow row) =>
        PlansOf(row).ToDictionary(p => p.Name, p => $"{p.Model} {p.Amount}", StringComparer.Ordinal);

    internal static List<StoredPlan> PlansOf(ProductStore.ProductRow row) => JsonSerializer.Deserialize<List<StoredPlan>>(row.Plans, Json) ?? [];

    internal static List<string> DatasetsOf(ProductStore.ProductRow row) => JsonSerializer.Deserialize<List<string>>(row.Datasets, Json) ?? [];

    internal static ProductView ToView(ProductStore.ProductRow row) => ToView(row, null);

    internal static ProductView ToView(ProductStore.ProductRow row, string? agreementText) =>
        new(row.Id, row.ProviderId, row.Kind, row.Title, row.TitleEn, row.Description, row.DescriptionEn, row.Documentation, DatasetsOf(row),
            [.. PlansOf(row).Select(p => p.ToView())], new AgreementView(row.AgreementVersion, agreementText), row.Approval, row.Status, row.RetiresAt, row.CreatedAt, row.UpdatedAt);

    internal static Refusal NotFound(string id) => Refusal.NotFound(MarketplaceErrors.ProductNotFound, $"no product '{id}' is published");
}

/// <summary>A plan as kept in the product's row (JSON): the price's model and amount string, and the limits.</summary>
internal sealed record StoredPlan(string Name, string? Title, string Model, string Amount, LimitsView Limits)
{
    public PlanView ToView() => new(Name, Title, new PriceView(Model, Amount, Money.Currency), Limits);

    public Quotas.PlanLimits ToLimits() => new(Limits.RatePerSecond, Limits.Burst, Limits.DailyRequests, Limits.DailyRows, Limits.ExportRows);
}
