using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Marketplace.Providers;
using OpenData.Platform.Marketplace.Statements;
using OpenData.Platform.Marketplace.Subscriptions;

namespace OpenData.Platform.Marketplace;

/// <summary>Routes of the data-services marketplace: products, subscriptions, statements and provider licences (all live only).</summary>
internal static class MarketplaceEndpoints
{
    public static RouteGroupBuilder MapMarketplaceRoutes(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Marketplace").LiveOnly("the marketplace trades live services");
        group.MapGet("/products", ListProducts).WithName("ListProducts").AllowAnonymous()
            .WithSummary("Published products with their plans, prices (CNY, decimal strings) and the agreement's current version; a provider also sees its drafts and retired products.");
        group.MapGet("/products/{id}", GetProduct).WithName("GetProduct").AllowAnonymous().Refuses(MarketplaceErrors.ProductNotFound)
            .WithSummary("A product with its plans, prices and the agreement in force (version and text).");
        group.MapGet("/products/{id}/agreements", ListAgreements).WithName("ListProductAgreements").AllowAnonymous().Refuses(MarketplaceErrors.ProductNotFound)
            .WithSummary("Every version of a product's agreement, oldest first (the versions subscribers accepted stay readable).");
        group.MapPost("/products", CreateProduct).WithName("CreateProduct").RequireAuthorization()
            .Refuses(CommonErrors.Validation, MarketplaceErrors.NotProvider, MarketplaceErrors.ProductExists)
            .WithSummary("An owner, or a licensed provider, creates a product: `{id, title, titleEn?, description, descriptionEn?, documentation?, kind: records|aggregate|verify|bundle, "
                + "datasets[], plans: [{name, title?, price: {model: free|per_call|per_thousand_rows|monthly, amount}, limits: {ratePerSecond?, burst?, dailyRequests?, dailyRows?, exportRows?}}], "
                + "agreement: {version, text}, approval: auto|manual, status: draft|published}`.");
        group.MapPatch("/products/{id}", UpdateProduct).WithName("UpdateProduct").RequireAuthorization()
            .Refuses(CommonErrors.Validation, MarketplaceErrors.ProductNotFound, MarketplaceErrors.NotProvider, MarketplaceErrors.ProductStatus)
            .WithSummary("Its provider changes a product (any field of the creation; a changed agreement takes a new version), publishes a draft (`status: published`) "
                + "or retires it (`status: retired`, `noticeDays` 0 to 365, default 30: subscribers are told and their subscriptions end then).");

        group.MapPost("/subscriptions", Subscribe).WithName("Subscribe").RequireAuthorization(Scopes.TenantAdmin)
            .Refuses(CommonErrors.Validation, MarketplaceErrors.ProductNotFound, MarketplaceErrors.ProductStatus, MarketplaceErrors.AgreementOutdated, MarketplaceErrors.AppTaken)
            .WithSummary("Subscribes one of the caller's live apps to a product's plan, accepting the agreement's current version: 201 `{id, status: pending|active}`. "
                + "While active the app's limits are the plan's (RateLimit policies named `\"{subscriptionId}/daily\"`…) and it reads the product's datasets only.");
        group.MapGet("/subscriptions", ListSubscriptions).WithName("ListSubscriptions").RequireAuthorization().Refuses(CommonErrors.Validation)
            .WithSummary("The caller's subscriptions, or with `role=provider` the subscriptions to its products, newest first, each with the plans it held.");
        group.MapGet("/subscriptions/{id}", GetSubscription).WithName("GetSubscription").RequireAuthorization().Refuses(MarketplaceErrors.SubscriptionNotFound)
            .WithSummary("A subscription, for its subscriber and the product's provider.");
        group.MapPost("/subscriptions/{id}/decision", DecideSubscription).WithName("DecideSubscription").RequireAuthorization()
            .Refuses(CommonErrors.Validation, MarketplaceErrors.SubscriptionNotFound, MarketplaceErrors.NotProductProvider, MarketplaceErrors.SubscriptionStatus,
                MarketplaceErrors.ProductStatus)
            .WithSummary("The product's provider approves or rejects a pending subscription: `{decision: approve|reject, reason}` (a rejection gives a reason).");
        group.MapPost("/subscriptions/{id}/change", ChangeSubscription).WithName("ChangeSubscription").RequireAuthorization(Scopes.TenantAdmin)
            .Refuses(CommonErrors.Validation, CommonErrors.InsufficientScope, MarketplaceErrors.SubscriptionNotFound, MarketplaceErrors.SubscriptionStatus,
                MarketplaceErrors.AgreementOutdated)
            .WithSummary("The subscriber changes plan (`{plan, agreementVersion?}`): limits at once; the statement prices the day of the change at the new plan.");
        group.MapPost("/subscriptions/{id}/cancel", CancelSubscription).WithName("CancelSubscription").RequireAuthorization(Scopes.TenantAdmin)
            .Refuses(CommonErrors.InsufficientScope, MarketplaceErrors.SubscriptionNotFound, MarketplaceErrors.SubscriptionStatus)
            .WithSummary("The subscriber cancels (`{reason?}`): the app is unbound at once; the day of the cancellation is the subscription's last.");

        group.MapGet("/statements", GetStatement).WithName("GetStatement").RequireAuthorization()
            .Produces<StatementView>(StatusCodes.Status200OK, "application/json", "text/csv").Refuses(CommonErrors.Validation)
            .WithSummary("A month's statement (`month=yyyy-MM`, CST; `role=subscriber|provider`; the operator sees every line and the revenue per provider and product; "
                + "`format=json|csv`): a line per plan held, with usage, unit price and amount; `closed` once the month ended, then it never changes.")
            .WithDescription(CsvCell.RawParameterDescription);
        group.MapPost("/statements/adjustments", Adjust).WithName("AdjustStatement").RequireAuthorization(Scopes.PlatformAdmin)
            .Refuses(CommonErrors.Validation, MarketplaceErrors.StatementClosed)
            .WithSummary("The operator corrects a closed month: `{subscriptionId, correctsMonth, amount (signed decimal string), reason, month?}`; the line goes on an open "
                + "month's statement (the current one by default); a closed month refuses it (409).");

        group.MapPost("/tenants/{id}/provider-licence", License).WithName("LicenseProvider").RequireAuthorization(Scopes.PlatformAdmin)
            .Refuses(CommonErrors.Validation, MarketplaceErrors.TenantNotFound)
            .WithSummary("The operator licenses a consumer tenant as a provider of value-added products (`{licensed?: true|false, note?}`; false revokes).");
        group.MapGet("/tenants/{id}/provider-licence", GetLicence).WithName("GetProviderLicence").RequireAuthorization().Refuses(MarketplaceErrors.TenantNotFound)
            .WithSummary("A tenant's provider licence, for the operator and the tenant itself.");
        return group;
    }

    internal static async Task<Results<Ok<ProductPage>, ProblemHttpResult>> ListProducts(ClaimsPrincipal user, ProductService products, CancellationToken cancellationToken)
    {
        var outcome = await products.ListAsync(user, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<Results<Ok<ProductView>, ProblemHttpResult>> GetProduct(string id, ClaimsPrincipal user, ProductService products, CancellationToken cancellationToken)
    {
        var outcome = await products.GetAsync(user, id, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<Results<Ok<IReadOnlyList<AgreementVersionView>>, ProblemHttpResult>> ListAgreements(
        string id, ClaimsPrincipal user, ProductService products, CancellationToken cancellationToken)
    {
        var outcome = await products.AgreementsAsync(user, id, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<Results<Created<ProductView>, ProblemHttpResult>> CreateProduct(
        ProductInput body, ClaimsPrincipal user, ProductService products, CancellationToken cancellationToken)
    {
        var outcome = await products.CreateAsync(user, body, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Created($"/v1/products/{outcome.Value!.Id}", outcome.Value);
    }

    internal static async Task<Results<Ok<ProductView>, ProblemHttpResult>> UpdateProduct(
        string id, ProductInput body, ClaimsPrincipal user, ProductService products, CancellationToken cancellationToken)
    {
        var outcome = await products.UpdateAsync(user, id, body, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<Results<Created<SubscriptionView>, ProblemHttpResult>> Subscribe(
        SubscriptionInput body, ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        var outcome = await subscriptions.SubscribeAsync(user, body, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Created($"/v1/subscriptions/{outcome.Value!.Id}", outcome.Value);
    }

    internal static async Task<Results<Ok<SubscriptionPage>, ProblemHttpResult>> ListSubscriptions(
        string? role, ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        var outcome = await subscriptions.ListAsync(user, role, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> GetSubscription(
        string id, ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        var outcome = await subscriptions.GetAsync(user, id, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> DecideSubscription(
        string id, SubscriptionDecision body, ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        var outcome = await subscriptions.DecideAsync(user, id, body, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> ChangeSubscription(
        string id, SubscriptionChange body, ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        var outcome = await subscriptions.ChangeAsync(user, id, body, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> CancelSubscription(
        string id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] SubscriptionCancel? body, ClaimsPrincipal user,
        SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        var outcome = await subscriptions.CancelAsync(user, id, body, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<IResult> GetStatement(
        string? month, string? role, string? format, [FromQuery(Name = CsvCell.RawParameter)] bool? csvRaw, ClaimsPrincipal user, StatementService statements,
        HttpContext context, CancellationToken cancellationToken)
    {
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (format is not null && !csv && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["format"] = ["format is json or csv"] });
        }
        var outcome = await statements.GetAsync(user, month, role, cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            return Problems.From(refusal);
        }
        var statement = outcome.Value!;
        if (!csv)
        {
            return TypedResults.Ok(statement);
        }
        context.Response.Headers.ContentDisposition = Attachment.ContentDisposition(StatementCsv.FileName(statement));
        return Results.Text(StatementCsv.Write(statement, defuse: csvRaw != true), "text/csv", Encoding.UTF8);
    }

    internal static async Task<Results<Created<StatementAdjustment>, ProblemHttpResult>> Adjust(
        AdjustmentInput body, ClaimsPrincipal user, StatementService statements, CancellationToken cancellationToken)
    {
        var outcome = await statements.AdjustAsync(user, body, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Created($"/v1/statements?month={outcome.Value!.Month}", outcome.Value);
    }

    internal static async Task<Results<Ok<LicenceView>, ProblemHttpResult>> License(
        string id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] LicenceInput? body, ClaimsPrincipal user,
        ProviderLicences licences, CancellationToken cancellationToken)
    {
        var outcome = await licences.SetAsync(user, id, body, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<Results<Ok<LicenceView>, ProblemHttpResult>> GetLicence(string id, ClaimsPrincipal user, ProviderLicences licences, CancellationToken cancellationToken)
    {
        var outcome = await licences.GetAsync(user, id, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }
}
