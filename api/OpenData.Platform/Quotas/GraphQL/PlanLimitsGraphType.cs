using GraphQL.Types;

namespace OpenData.Platform.Quotas.GraphQL;

/// <summary><c>type PlanLimits</c>: a plan's limits, null meaning unlimited.</summary>
internal sealed class PlanLimitsGraphType : ObjectGraphType<PlanLimits>
{
    public PlanLimitsGraphType()
    {
        Name = "PlanLimits";
        Description = "A plan's limits with the tenant's overrides; null means unlimited.";
        Field<LongGraphType>("ratePerSecond").Resolve(c => c.Source.RatePerSecond);
        Field<LongGraphType>("burst").Resolve(c => c.Source.Burst);
        Field<LongGraphType>("dailyRequests").Resolve(c => c.Source.DailyRequests);
        Field<LongGraphType>("dailyRows").Resolve(c => c.Source.DailyRows);
        Field<LongGraphType>("exportRows").Resolve(c => c.Source.ExportRows);
    }
}
