using GraphQL.Types;

namespace OpenData.Platform.Quotas.GraphQL;

/// <summary><c>type Quota</c>: the caller's plan and today's allowance (as GET /v1/quota).</summary>
internal sealed class QuotaStatusGraphType : ObjectGraphType<QuotaStatus>
{
    public QuotaStatusGraphType()
    {
        Name = "Quota";
        Description = "The caller's plan, its limits and what is left today; the day starts at midnight China Standard Time.";
        Field<StringGraphType>("tenant").Description("null for an anonymous caller (limited per client IP).").Resolve(c => c.Source.Tenant);
        Field<NonNullGraphType<StringGraphType>>("plan").Resolve(c => c.Source.Plan);
        Field<NonNullGraphType<StringGraphType>>("day").Resolve(c => c.Source.Day);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("resetsAt").Resolve(c => c.Source.ResetsAt);
        Field<NonNullGraphType<PlanLimitsGraphType>>("limits").Resolve(c => c.Source.Limits);
        Field<NonNullGraphType<QuotaRemainingGraphType>>("remaining").Resolve(c => c.Source.Remaining);
    }
}
