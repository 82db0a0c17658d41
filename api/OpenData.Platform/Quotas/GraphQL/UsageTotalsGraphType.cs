using GraphQL.Types;

namespace OpenData.Platform.Quotas.GraphQL;

/// <summary><c>type UsageTotals</c>.</summary>
internal sealed class UsageTotalsGraphType : ObjectGraphType<UsageTotals>
{
    public UsageTotalsGraphType()
    {
        Name = "UsageTotals";
        Description = "The sums over a usage report's rows.";
        Field<NonNullGraphType<LongGraphType>>("requests").Resolve(c => c.Source.Requests);
        Field<NonNullGraphType<LongGraphType>>("rows").Resolve(c => c.Source.Rows);
        Field<NonNullGraphType<LongGraphType>>("bytes").Resolve(c => c.Source.Bytes);
        Field<NonNullGraphType<LongGraphType>>("errors").Resolve(c => c.Source.Errors);
        Field<NonNullGraphType<LongGraphType>>("throttled").Resolve(c => c.Source.Throttled);
    }
}
