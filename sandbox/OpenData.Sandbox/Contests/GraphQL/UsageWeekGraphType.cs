using GraphQL.Types;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary><c>type UsageWeek</c>.</summary>
internal sealed class UsageWeekGraphType : ObjectGraphType<UsageWeek>
{
    public UsageWeekGraphType()
    {
        Name = "UsageWeek";
        Description = "A live app's metered requests and rows over seven quota days, from and to inclusive.";
        Field<NonNullGraphType<StringGraphType>>("from").Resolve(c => c.Source.From);
        Field<NonNullGraphType<StringGraphType>>("to").Resolve(c => c.Source.To);
        Field<NonNullGraphType<LongGraphType>>("requests").Resolve(c => c.Source.Requests);
        Field<NonNullGraphType<LongGraphType>>("rows").Resolve(c => c.Source.Rows);
    }
}
