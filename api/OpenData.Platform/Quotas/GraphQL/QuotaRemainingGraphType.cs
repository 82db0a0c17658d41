using GraphQL.Types;

namespace OpenData.Platform.Quotas.GraphQL;

/// <summary><c>type QuotaRemaining</c>: what is left today.</summary>
internal sealed class QuotaRemainingGraphType : ObjectGraphType<QuotaRemaining>
{
    public QuotaRemainingGraphType()
    {
        Name = "QuotaRemaining";
        Description = "What is left of today's allowance; null means unlimited.";
        Field<LongGraphType>("dailyRequests").Resolve(c => c.Source.DailyRequests);
        Field<LongGraphType>("dailyRows").Resolve(c => c.Source.DailyRows);
    }
}
