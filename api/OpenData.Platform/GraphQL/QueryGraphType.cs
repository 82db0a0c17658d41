using GraphQL.Types;

namespace OpenData.Platform.GraphQL;

/// <summary>The root <c>Query</c>: the catalogue, records (through datasets), access requests, grants, usage and contests.</summary>
internal sealed class QueryGraphType : ObjectGraphType
{
    public QueryGraphType(IEnumerable<IQueryFields> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        Name = "Query";
        Description = "What a caller may read: the same catalogue, records, access requests and grants as the REST API, through the same checks.";
        foreach (var module in modules)
        {
            module.AddTo(this);
        }
    }
}
