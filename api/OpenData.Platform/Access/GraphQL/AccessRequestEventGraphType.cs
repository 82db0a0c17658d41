using GraphQL.Types;

namespace OpenData.Platform.Access.GraphQL;

/// <summary><c>type AccessRequestEvent</c>: one transition of a request.</summary>
internal sealed class AccessRequestEventGraphType : ObjectGraphType<AccessRequestEvent>
{
    public AccessRequestEventGraphType()
    {
        Name = "AccessRequestEvent";
        Description = "One transition in a request's history.";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(c => c.Source.At);
        Field<NonNullGraphType<StringGraphType>>("actor").Description("The tenant that acted, or platform.").Resolve(c => c.Source.Actor);
        Field<NonNullGraphType<StringGraphType>>("action").Resolve(c => c.Source.Action);
        Field<StringGraphType>("from").Resolve(c => c.Source.From);
        Field<NonNullGraphType<StringGraphType>>("to").Resolve(c => c.Source.To);
        Field<StringGraphType>("reason").Resolve(c => c.Source.Reason);
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("columns").Resolve(c => c.Source.Columns);
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("linkage").Description("Linkage domains asked for or approved in this step.").Resolve(c => c.Source.Linkage);
        Field<DateTimeOffsetGraphType>("expiresAt").Resolve(c => c.Source.ExpiresAt);
    }
}
