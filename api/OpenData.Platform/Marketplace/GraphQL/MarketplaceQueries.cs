using System.Security.Claims;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Marketplace.Statements;
using OpenData.Platform.Marketplace.Subscriptions;

namespace OpenData.Platform.Marketplace.GraphQL;

/// <summary>The marketplace's root fields: <c>products</c>, <c>product(id)</c>, <c>subscriptions(role)</c> and <c>statement(month, role)</c>, as their REST routes.</summary>
internal sealed class MarketplaceQueries : IQueryFields
{
    private const string Action = "the marketplace";

    public void AddTo(QueryGraphType query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProductGraphType>>>>("products")
            .Description("Published products (as GET /v1/products; a provider also sees its own drafts and retired products).")
            .ResolveAsync(async c =>
            {
                GraphErrors.RequireLive(c.User, Action);
                return GraphErrors.ValueOf(await Service<ProductService>(c).ListAsync(c.User ?? new ClaimsPrincipal(), c.CancellationToken)).Items;
            });
        query.Field<ProductGraphType>("product")
            .Description("One product with its agreement's text (as GET /v1/products/{id}); an error product.not_found when there is none.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                GraphErrors.RequireLive(c.User, Action);
                return GraphErrors.ValueOf(await Service<ProductService>(c).GetAsync(c.User ?? new ClaimsPrincipal(), c.GetArgument<string>("id"), c.CancellationToken));
            });
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SubscriptionGraphType>>>>("subscriptions")
            .Description("The caller's subscriptions, or with role: \"provider\" the subscriptions to its products (as GET /v1/subscriptions).")
            .Argument<StringGraphType>("role")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User);
                GraphErrors.RequireLive(c.User, Action);
                return GraphErrors.ValueOf(await Service<SubscriptionService>(c).ListAsync(c.User!, c.GetArgument<string?>("role"), c.CancellationToken)).Items;
            });
        query.Field<NonNullGraphType<StatementGraphType>>("statement")
            .Description("A month's statement (as GET /v1/statements): month yyyy-MM (CST, default the current month), role subscriber or provider.")
            .Argument<StringGraphType>("month")
            .Argument<StringGraphType>("role")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User);
                GraphErrors.RequireLive(c.User, Action);
                return GraphErrors.ValueOf(await Service<StatementService>(c).GetAsync(c.User!, c.GetArgument<string?>("month"), c.GetArgument<string?>("role"), c.CancellationToken));
            });
    }

    private static T Service<T>(IResolveFieldContext context) where T : notnull => context.RequestServices!.GetRequiredService<T>();
}
