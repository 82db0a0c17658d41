using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenData.Platform.Common;

namespace OpenData.Platform.GraphQL;

/// <summary>Registers the schema, its graph types (one a file, in each module's <c>GraphQL/</c> folder), limits and per-request loaders.</summary>
public static class GraphQLModule
{
    public static IServiceCollection AddPlatformGraphQL(this IServiceCollection services)
    {
        services.AddOptions<GraphQLOptions>().BindConfiguration(GraphQLOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IQueryFields, Tenancy.GraphQL.TenancyQueries>();
        services.AddSingleton<IQueryFields, Catalogue.GraphQL.CatalogueQueries>();
        services.AddSingleton<IQueryFields, Access.GraphQL.AccessQueries>();
        services.AddSingleton<IQueryFields, Quotas.GraphQL.QuotaQueries>();
        services.AddSingleton<IQueryFields, Contests.GraphQL.ContestQueries>();
        services.AddSingleton<IMutationFields, Access.GraphQL.AccessMutations>();
        services.AddScoped<Catalogue.GraphQL.DatasetLoader>();
        services.AddSingleton<DocumentCache>();
        services.AddGraphQL(builder => builder
            .AddSchema<OpenDataSchema>()
            .AddGraphTypes(typeof(OpenDataSchema).Assembly)
            .AddSystemTextJson(json =>
            {
                PlatformJson.Configure(json);
                json.Converters.Add(new RecordRowJsonConverter());
            })
            .AddErrorInfoProvider<PlatformErrorInfoProvider>()
            .AddComplexityAnalyzer((complexity, provider) =>
            {
                var limits = provider.GetRequiredService<IOptions<GraphQLOptions>>().Value;
                complexity.MaxDepth = limits.MaxDepth;
                complexity.MaxComplexity = limits.MaxComplexity;
                // Introspection reads the schema, not data: its size is the schema's, whatever the lists multiply to.
                var builtIn = complexity.DefaultComplexityImpactDelegate;
                complexity.DefaultComplexityImpactDelegate = impact =>
                    impact.ParentType.Name.StartsWith("__", StringComparison.Ordinal) || impact.FieldDefinition.Name.StartsWith("__", StringComparison.Ordinal)
                        ? new global::GraphQL.Validation.Complexity.FieldComplexityResult(0, 1)
                        : builtIn(impact);
            })
            .AddValidationRule(provider => new MaxAliasesRule(provider.GetRequiredService<IOptions<GraphQLOptions>>().Value.MaxAliases), true)
            .AddUnhandledExceptionHandler(context =>
            {
                if (context.Exception is not OperationCanceledException)
                {
                    context.ExecutionOptions.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger(typeof(GraphQLEndpoint))
                        .LogError(context.Exception, "GraphQL failed in {Field} of {Operation}: {Query}",
                            context.FieldContext?.FieldDefinition.Name ?? context.OriginalException.GetType().Name,
                            Common.ClientErrorText.Bounded(context.ExecutionOptions.OperationName),
                            // The document is the client's text, up to the request limit: enough of it to find the field, no more.
                            Common.ClientErrorText.Bounded(context.ExecutionOptions.Query));
                }
            }));
        return services;
    }
}
