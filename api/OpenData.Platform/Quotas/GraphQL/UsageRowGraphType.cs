using GraphQL.Types;

namespace OpenData.Platform.Quotas.GraphQL;

/// <summary><c>type UsageRow</c>: one day's usage of one dataset by one app.</summary>
internal sealed class UsageRowGraphType : ObjectGraphType<UsageRow>
{
    public UsageRowGraphType()
    {
        Name = "UsageRow";
        Description = "One day's usage of one dataset (\"\" for catalogue and GraphQL requests) by one app (\"\" without one).";
        Field<NonNullGraphType<StringGraphType>>("day").Resolve(c => c.Source.Day);
        Field<NonNullGraphType<StringGraphType>>("dataset").Resolve(c => c.Source.Dataset);
        Field<NonNullGraphType<StringGraphType>>("app").Resolve(c => c.Source.App);
        Field<NonNullGraphType<LongGraphType>>("requests").Resolve(c => c.Source.Requests);
        Field<NonNullGraphType<LongGraphType>>("rows").Resolve(c => c.Source.Rows);
        Field<NonNullGraphType<LongGraphType>>("bytes").Resolve(c => c.Source.Bytes);
        Field<NonNullGraphType<LongGraphType>>("errors").Description("Answers with a 4xx status.").Resolve(c => c.Source.Errors);
        Field<NonNullGraphType<LongGraphType>>("throttled").Description("Answers with 429.").Resolve(c => c.Source.Throttled);
    }
}
