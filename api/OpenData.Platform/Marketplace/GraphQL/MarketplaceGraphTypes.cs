using GraphQL.Types;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Marketplace.Statements;
using OpenData.Platform.Marketplace.Subscriptions;

namespace OpenData.Platform.Marketplace.GraphQL;

/// <summary><c>type Product</c>: as <c>GET /v1/products/{id}</c> answers it.</summary>
internal sealed class ProductGraphType : ObjectGraphType<ProductView>
{
    public ProductGraphType()
    {
        Name = "Product";
        Description = "A product of the data-services marketplace: datasets offered with plans, prices (CNY, decimal strings) and an agreement.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("provider").Description("The providing tenant.").Resolve(c => c.Source.Provider);
        Field<NonNullGraphType<StringGraphType>>("kind").Description("records, aggregate, verify or bundle.").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => c.Source.Title);
        Field<StringGraphType>("titleEn").Resolve(c => c.Source.TitleEn);
        Field<NonNullGraphType<StringGraphType>>("description").Resolve(c => c.Source.Description);
        Field<StringGraphType>("descriptionEn").Resolve(c => c.Source.DescriptionEn);
        Field<StringGraphType>("documentation").Resolve(c => c.Source.Documentation);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("datasets").Resolve(c => c.Source.Datasets);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProductPlanGraphType>>>>("plans").Resolve(c => c.Source.Plans);
        Field<NonNullGraphType<StringGraphType>>("agreementVersion").Resolve(c => c.Source.Agreement.Version);
        Field<StringGraphType>("agreementText").Description("The agreement's text where one product is read.").Resolve(c => c.Source.Agreement.Text);
        Field<NonNullGraphType<StringGraphType>>("approval").Description("auto or manual.").Resolve(c => c.Source.Approval);
        Field<NonNullGraphType<StringGraphType>>("status").Description("draft, published or retired.").Resolve(c => c.Source.Status);
        Field<DateTimeOffsetGraphType>("retiresAt").Resolve(c => c.Source.RetiresAt);
    }
}

/// <summary><c>type ProductPlan</c>: a plan's name, price and limits (null: unlimited).</summary>
internal sealed class ProductPlanGraphType : ObjectGraphType<PlanView>
{
    public ProductPlanGraphType()
    {
        Name = "ProductPlan";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<StringGraphType>("title").Resolve(c => c.Source.Title);
        Field<NonNullGraphType<StringGraphType>>("priceModel").Description("free, per_call, per_thousand_rows or monthly.").Resolve(c => c.Source.Price.Model);
        Field<NonNullGraphType<StringGraphType>>("amount").Description("The price in CNY, a decimal string.").Resolve(c => c.Source.Price.Amount);
        Field<NonNullGraphType<StringGraphType>>("currency").Resolve(c => c.Source.Price.Currency);
        Field<LongGraphType>("ratePerSecond").Resolve(c => c.Source.Limits.RatePerSecond);
        Field<LongGraphType>("burst").Resolve(c => c.Source.Limits.Burst);
        Field<LongGraphType>("dailyRequests").Resolve(c => c.Source.Limits.DailyRequests);
        Field<LongGraphType>("dailyRows").Resolve(c => c.Source.Limits.DailyRows);
        Field<LongGraphType>("exportRows").Resolve(c => c.Source.Limits.ExportRows);
    }
}

/// <summary><c>type Subscription</c>: as <c>GET /v1/subscriptions/{id}</c> answers it.</summary>
internal sealed class SubscriptionGraphType : ObjectGraphType<SubscriptionView>
{
    public SubscriptionGraphType()
    {
        Name = "Subscription";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("productId").Resolve(c => c.Source.ProductId);
        Field<NonNullGraphType<StringGraphType>>("provider").Resolve(c => c.Source.Provider);
        Field<NonNullGraphType<StringGraphType>>("tenant").Description("The subscribing tenant.").Resolve(c => c.Source.Tenant);
        Field<NonNullGraphType<StringGraphType>>("appId").Description("The subscribed app's client id.").Resolve(c => c.Source.AppId);
        Field<NonNullGraphType<StringGraphType>>("plan").Resolve(c => c.Source.Plan);
        Field<NonNullGraphType<StringGraphType>>("agreementVersion").Resolve(c => c.Source.AgreementVersion);
        Field<NonNullGraphType<StringGraphType>>("status").Description("pending, active, rejected, cancelled or ended.").Resolve(c => c.Source.Status);
        Field<StringGraphType>("reason").Resolve(c => c.Source.Reason);
        Field<DateTimeOffsetGraphType>("endsAt").Resolve(c => c.Source.EndsAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
    }
}

/// <summary><c>type Statement</c>: a month's statement as <c>GET /v1/statements</c> answers it.</summary>
internal sealed class StatementGraphType : ObjectGraphType<StatementView>
{
    public StatementGraphType()
    {
        Name = "Statement";
        Field<NonNullGraphType<StringGraphType>>("month").Resolve(c => c.Source.Month);
        Field<NonNullGraphType<StringGraphType>>("role").Description("subscriber, provider or operator.").Resolve(c => c.Source.Role);
        Field<NonNullGraphType<StringGraphType>>("currency").Resolve(c => c.Source.Currency);
        Field<NonNullGraphType<BooleanGraphType>>("closed").Resolve(c => c.Source.Closed);
        Field<NonNullGraphType<StringGraphType>>("total").Description("CNY, two decimal places.").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StatementLineGraphType>>>>("lines").Resolve(c => c.Source.Lines);
    }
}

/// <summary><c>type StatementLine</c>: one plan a subscription held in the month, its usage and amount.</summary>
internal sealed class StatementLineGraphType : ObjectGraphType<StatementLine>
{
    public StatementLineGraphType()
    {
        Name = "StatementLine";
        Field<NonNullGraphType<StringGraphType>>("subscriptionId").Resolve(c => c.Source.SubscriptionId);
        Field<NonNullGraphType<StringGraphType>>("productId").Resolve(c => c.Source.ProductId);
        Field<NonNullGraphType<StringGraphType>>("plan").Resolve(c => c.Source.Plan);
        Field<NonNullGraphType<StringGraphType>>("priceModel").Resolve(c => c.Source.PriceModel);
        Field<NonNullGraphType<StringGraphType>>("unitPrice").Resolve(c => c.Source.UnitPrice);
        Field<NonNullGraphType<StringGraphType>>("from").Resolve(c => c.Source.From);
        Field<NonNullGraphType<StringGraphType>>("to").Resolve(c => c.Source.To);
        Field<NonNullGraphType<LongGraphType>>("calls").Resolve(c => c.Source.Calls);
        Field<NonNullGraphType<LongGraphType>>("rows").Resolve(c => c.Source.Rows);
        Field<NonNullGraphType<StringGraphType>>("quantity").Resolve(c => c.Source.Quantity);
        Field<NonNullGraphType<StringGraphType>>("amount").Resolve(c => c.Source.Amount);
    }
}
