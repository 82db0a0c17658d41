using GraphQL.Types;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary><c>type ShowcaseDataset</c>.</summary>
internal sealed class ShowcaseDatasetGraphType : ObjectGraphType<ShowcaseDataset>
{
    public ShowcaseDatasetGraphType()
    {
        Name = "ShowcaseDataset";
        Description = "A dataset a winning app uses.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<StringGraphType>("title").Resolve(c => c.Source.Title);
    }
}
