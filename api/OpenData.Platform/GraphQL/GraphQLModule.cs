using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenData.Platform.Common;

namespace OpenData.Platform.GraphQL;

/// <summary>
/// Registers the schema, its graph types (one a file, in each module's <c>GraphQL/</c> folder) and its limits. Modules add their root
/// fields (<see cref="IQueryFields"/>, <see cref="IMutationFields"/>), per-request loaders and JSON converters
/// (<see cref="GraphQLJsonConverter"/>) in their own registration: this module names none of them.
/// </summary>
internal static class GraphQLModule
{
    public static IServiceCollection AddPlatformGraphQL(this IServiceCollection services)
    {
        services.AddOptions<GraphQLOptions>().BindConfiguration(GraphQLOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DocumentCache>();
        services.AddGraphQL(builder => builder
            .AddSchema<OpenDataSchema>()
            .AddGraphTypes(typeof(OpenDataSchema).Assembly)
            .AddSystemTextJson((json, provider) =>
            {
                PlatformJson.Configure(json);
                foreach (var converter in provider.GetServices<GraphQLJsonConverter>())
                {
                    json.Converters.Add(converter.Converter);
                }
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

/// <summary>A converter a module adds to how GraphQL results are written (the records module's row, for example).</summary>
internal sealed record GraphQLJsonConverter(System.Text.Json.Serialization.JsonConverter Converter);
