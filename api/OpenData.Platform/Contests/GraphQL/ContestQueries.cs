using GraphQL.Types;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Contests.GraphQL;

/// <summary>Contests' root field. Contests arrive with the sandbox issue; until then the list is empty.</summary>
internal sealed class ContestQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ContestGraphType>>>>("contests")
            .Description("Contests open to teams (empty until contests are served).")
            .Resolve(_ => Array.Empty<Contest>());
    }
}
