namespace OpenData.Platform.GraphQL;

/// <summary>A module's fields on the root <c>Query</c> type; each module adds its own, so the root stays a list of modules.</summary>
internal interface IQueryFields
{
    void AddTo(QueryGraphType query);
}

/// <summary>A module's fields on the root <c>Mutation</c> type.</summary>
internal interface IMutationFields
{
    void AddTo(MutationGraphType mutation);
}
