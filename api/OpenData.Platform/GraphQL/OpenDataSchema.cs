using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace OpenData.Platform.GraphQL;

/// <summary>The platform's GraphQL schema; printed to <c>openapi/schema.graphql</c>, which a test keeps in step.</summary>
internal sealed class OpenDataSchema : Schema
{
    public OpenDataSchema(IServiceProvider services) : base(services)
    {
        Query = services.GetRequiredService<QueryGraphType>();
        Mutation = services.GetRequiredService<MutationGraphType>();
        Description = "OpenData: the city's public data platform. Errors carry extensions.code, the same machine codes as the REST API.";
    }
}
