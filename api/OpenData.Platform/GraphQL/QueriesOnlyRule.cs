using GraphQL.Validation;
using GraphQLParser.AST;

namespace OpenData.Platform.GraphQL;

/// <summary>GET runs queries only (GraphQL over HTTP): a mutation sent with GET is refused with 405 and <c>graphql.mutation_needs_post</c>.</summary>
internal sealed class QueriesOnlyRule : ValidationRuleBase
{
    public static readonly QueriesOnlyRule Instance = new();

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        new(new MatchingNodeVisitor<GraphQLOperationDefinition>((operation, validation) =>
        {
            if (operation.Operation != OperationType.Query && (validation.Operation is null || validation.Operation == operation))
            {
                validation.ReportError(new ValidationError(validation.Document.Source, null,
                    $"a {operation.Operation.ToString().ToLowerInvariant()} changes data: send it with POST", operation) { Code = GraphErrors.MutationNeedsPost });
            }
        }));
}
