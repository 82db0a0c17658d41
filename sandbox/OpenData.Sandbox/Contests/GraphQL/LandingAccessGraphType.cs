using GraphQL.Types;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary><c>type LandingAccess</c>.</summary>
internal sealed class LandingAccessGraphType : ObjectGraphType<LandingAccess>
{
    public LandingAccessGraphType()
    {
        Name = "LandingAccess";
        Description = "An access request of a winning live app, with its grant's status once approved (active, expired, revoked).";
        Field<NonNullGraphType<IdGraphType>>("datasetId").Resolve(c => c.Source.DatasetId);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(c => c.Source.Status);
        Field<StringGraphType>("grantStatus").Resolve(c => c.Source.GrantStatus);
        Field<DateTimeOffsetGraphType>("grantExpiresAt").Resolve(c => c.Source.GrantExpiresAt);
    }
}
