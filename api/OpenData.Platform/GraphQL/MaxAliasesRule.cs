using GraphQL.Validation;
using GraphQLParser.AST;

namespace OpenData.Platform.GraphQL;

/// <summary>Refuses a document with more aliased fields than <see cref="GraphQLOptions.MaxAliases"/> (code <c>graphql.too_many_aliases</c>).</summary>
internal sealed class MaxAliasesRule(int max) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var count = 0;
        return new(new MatchingNodeVisitor<GraphQLField>((field, validation) =>
        {
            if (field.Alias is not null && ++count == max + 1)
            {
                validation.ReportError(new ValidationError(validation.Document.Source, null,
                    $"the document uses more than {max} aliases; split it into several requests", field) { Code = GraphErrors.TooManyAliases });
            }
        }));
    }
}
