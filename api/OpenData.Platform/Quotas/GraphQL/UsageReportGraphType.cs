using GraphQL.Types;

namespace OpenData.Platform.Quotas.GraphQL;

/// <summary><c>type UsageReport</c>: a tenant's usage between two days (as GET /v1/usage).</summary>
internal sealed class UsageReportGraphType : ObjectGraphType<UsageReport>
{
    public UsageReportGraphType()
    {
        Name = "UsageReport";
        Description = "A tenant's usage per day, dataset and app between two days, with totals.";
        Field<NonNullGraphType<StringGraphType>>("tenant").Resolve(c => c.Source.Tenant);
        Field<NonNullGraphType<StringGraphType>>("from").Resolve(c => c.Source.From);
        Field<NonNullGraphType<StringGraphType>>("to").Resolve(c => c.Source.To);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UsageRowGraphType>>>>("items").Resolve(c => c.Source.Items);
        Field<NonNullGraphType<UsageTotalsGraphType>>("totals").Resolve(c => c.Source.Totals);
    }
}
