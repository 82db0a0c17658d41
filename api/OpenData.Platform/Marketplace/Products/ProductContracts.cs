using System.Text.Json.Serialization;

namespace OpenData.Platform.Marketplace.Products;

/// <summary>The kinds of product: rows through the caller's view, aggregates, the verification, or a bundle of datasets.</summary>
internal static class ProductKind
{
    public const string Records = "records";
    public const string Aggregate = "aggregate";
    public const string Verify = "verify";
    public const string Bundle = "bundle";
    public static readonly IReadOnlyList<string> All = [Records, Aggregate, Verify, Bundle];
}

/// <summary>A product's lifecycle: draft (its provider's only), published (listed, takes subscriptions), retired (final).</summary>
internal static class ProductStatus
{
    public const string Draft = "draft";
    public const string Published = "published";
    public const string Retired = "retired";
}

/// <summary>How a plan is priced: free, per call, per thousand rows, or per month (prorated by CST days held).</summary>
internal static class PriceModel
{
    public const string Free = "free";
    public const string PerCall = "per_call";
    public const string PerThousandRows = "per_thousand_rows";
    public const string Monthly = "monthly";
    public static readonly IReadOnlyList<string> All = [Free, PerCall, PerThousandRows, Monthly];
}

/// <summary>A plan's price as written: the model and the amount in CNY as a decimal string.</summary>
internal sealed record PriceInput(string? Model, string? Amount);

/// <summary>A plan's limits, named as plans.yaml names them; null (or absent) is unlimited.</summary>
internal sealed record LimitsInput(long? RatePerSecond, long? Burst, long? DailyRequests, long? DailyRows, long? ExportRows);

internal sealed record PlanInput(string? Name, string? Title, PriceInput? Price, LimitsInput? Limits);

internal sealed record AgreementInput(string? Version, string? Text);

/// <summary>
/// The body of <c>POST /v1/products</c> and (every field optional) <c>PATCH /v1/products/{id}</c>. <c>noticeDays</c> goes with
/// <c>status: retired</c>: the subscriptions end that many days later (default 30).
/// </summary>
internal sealed record ProductInput(
    string? Id, string? Title, string? TitleEn, string? Description, string? DescriptionEn, string? Documentation, string? Kind,
    IReadOnlyList<string?>? Datasets, IReadOnlyList<PlanInput?>? Plans, AgreementInput? Agreement, string? Approval, string? Status, int? NoticeDays = null);

/// <summary>A plan's price as answered: model, amount (decimal string) and currency (CNY).</summary>
internal sealed record PriceView(string Model, string Amount, string Currency);

/// <summary>A plan as answered: its name, title, price and limits (null: unlimited).</summary>
internal sealed record PlanView(string Name, string? Title, PriceView Price, LimitsView Limits);

internal sealed record LimitsView(long? RatePerSecond, long? Burst, long? DailyRequests, long? DailyRows, long? ExportRows);

/// <summary>The agreement in force: its version, and its text where one product is read (a list gives the version only).</summary>
internal sealed record AgreementView(string Version, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text);

/// <summary>A product as answered to anyone (published) or its provider (any status).</summary>
internal sealed record ProductView(
    string Id, string Provider, string Kind, string Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TitleEn,
    string Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DescriptionEn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Documentation,
    IReadOnlyList<string> Datasets, IReadOnlyList<PlanView> Plans, AgreementView Agreement, string Approval, string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? RetiresAt,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A page of products.</summary>
internal sealed record ProductPage(IReadOnlyList<ProductView> Items);

/// <summary>One version of a product's agreement, as kept.</summary>
internal sealed record AgreementVersionView(string Version, string Text, DateTimeOffset CreatedAt);
