using GraphQL.Types;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary><c>type Landing</c>: whether a winning app landed.</summary>
internal sealed class LandingGraphType : ObjectGraphType<Landing>
{
    public LandingGraphType()
    {
        Name = "Landing";
        Description = "Whether a winning app landed (落地): taken live or not, its requests per week, its access requests and grants.";
        Field<NonNullGraphType<BooleanGraphType>>("live").Resolve(c => c.Source.Live);
        Field<DateTimeOffsetGraphType>("liveSince").Resolve(c => c.Source.LiveSince);
        Field<NonNullGraphType<LongGraphType>>("requestsLastWeek").Resolve(c => c.Source.RequestsLastWeek);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UsageWeekGraphType>>>>("weeks").Resolve(c => c.Source.Weeks);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LandingAccessGraphType>>>>("access").Resolve(c => c.Source.Access);
    }
}
