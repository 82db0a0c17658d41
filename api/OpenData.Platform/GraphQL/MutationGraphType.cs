using GraphQL.Types;

namespace OpenData.Platform.GraphQL;

/// <summary>The root <c>Mutation</c>: the access workflow (request, decide, withdraw, resubmit, revoke).</summary>
internal sealed class MutationGraphType : ObjectGraphType
{
    public MutationGraphType(IEnumerable<IMutationFields> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        Name = "Mutation";
        Description = "Changes, each the same transition as its REST route, with the same checks, audit entries and webhooks.";
        foreach (var module in modules)
        {
            module.AddTo(this);
        }
    }
}
