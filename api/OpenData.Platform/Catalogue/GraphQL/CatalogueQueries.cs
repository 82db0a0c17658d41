using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Datasets;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Catalogue.GraphQL;

/// <summary>The catalogue's root fields: <c>datasets</c>, <c>dataset</c>, <c>organisations</c>, <c>themes</c>.</summary>
internal sealed class CatalogueQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Field<NonNullGraphType<DatasetPageGraphType>>("datasets")
            .Description($"Search the catalogue, as GET /v1/datasets: text, theme, owner, classification; first (1 to {CatalogueEndpoints.MaxPageSize}, default {CatalogueEndpoints.DefaultPageSize}) and after.")
            .Argument<StringGraphType>("q", "Words in the id, title or description.")
            .Argument<StringGraphType>("theme", "A theme id.")
            .Argument<StringGraphType>("owner", "An organisation id.")
            .Argument<ClassificationGraphType>("classification")
            .Argument<IntGraphType>("first", "Datasets in the page.")
            .Argument<StringGraphType>("after", "The next value of the previous page, unchanged.")
            .WithComplexityImpact(impact => PageComplexity.Of(impact, CatalogueEndpoints.DefaultPageSize, CatalogueEndpoints.MaxPageSize))
            .ResolveAsync(async c =>
            {
                var search = new DatasetSearch(c.GetArgument<string?>("q"), c.GetArgument<string?>("theme"), c.GetArgument<string?>("owner"),
                    c.GetArgument<Classification?>("classification")?.ToString().ToLowerInvariant(), c.GetArgument<int?>("first"), c.GetArgument<string?>("after"));
                return GraphErrors.ValueOf(await c.RequestServices!.GetRequiredService<CatalogueStore>().PageAsync(search, c.CancellationToken));
            });
        query.Field<DatasetGraphType>("dataset")
            .Description("One dataset by id; null when no dataset has it.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(c => c.RequestServices!.GetRequiredService<DatasetLoader>().Load(c.GetArgument<string>("id")));
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<OrganisationGraphType>>>>("organisations")
            .Description("The organisations that publish data.")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<CatalogueStore>().OrganisationsAsync(c.CancellationToken));
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ThemeGraphType>>>>("themes")
            .Description("The catalogue's themes.")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<CatalogueStore>().ThemesAsync(c.CancellationToken));
    }
}
