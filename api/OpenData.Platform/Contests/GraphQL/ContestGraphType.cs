using GraphQL.Types;

namespace OpenData.Platform.Contests.GraphQL;

/// <summary><c>type Contest</c>.</summary>
internal sealed class ContestGraphType : ObjectGraphType<Contest>
{
    public ContestGraphType()
    {
        Name = "Contest";
        Description = "A contest whose teams build on the sandbox's synthetic data.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => c.Source.Title);
        Field<NonNullGraphType<StringGraphType>>("description").Resolve(c => c.Source.Description);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("opensAt").Resolve(c => c.Source.OpensAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("closesAt").Resolve(c => c.Source.ClosesAt);
    }
}
