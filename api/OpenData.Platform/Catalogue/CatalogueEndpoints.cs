using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Catalogue;

/// <summary>Routes of the catalogue: datasets, organisations, themes, DCAT.</summary>
internal static class CatalogueEndpoints
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static RouteGroupBuilder MapCatalogue(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Catalogue").WithMetadata(Common.Metered.Instance);

        group.MapGet("/datasets", SearchDatasets).WithName("SearchDatasets").AllowAnonymous()
            .Refuses(CommonErrors.InvalidLimit, CommonErrors.InvalidCursor, CommonErrors.InvalidParameter)
            .WithSummary("Search the catalogue by text, theme, owner and classification, page by page.");
        group.MapGet("/datasets/{id}", GetDataset).WithName("GetDataset").AllowAnonymous()
            .Refuses(CatalogueErrors.DatasetNotFound)
            .WithSummary("A dataset's metadata, its columns as this caller sees them, and this caller's access.");
        group.MapGet("/datasets/{id}/lineage", GetLineage).WithName("GetDatasetLineage").AllowAnonymous()
            .Refuses(CatalogueErrors.DatasetNotFound)
            .WithSummary("Where a dataset comes from and where its data went: the datasets it was derived from (`sources`) and those derived from it (`derived`), with their owners.");
        group.MapPost("/datasets", CreateDataset).WithName("CreateDataset").RequireAuthorization(Scopes.DatasetsWrite).LiveOnly("declaring a dataset")
            .Refuses(CommonErrors.Validation, CatalogueErrors.OwnerRequired, CatalogueErrors.LicenceRevoked, CatalogueErrors.SourceNotReadable, CatalogueErrors.DatasetExists)
            .WithSummary("Declare a new dataset owned by the caller's organisation; rows arrive as versions.");
        group.MapPatch("/datasets/{id}/columns/{name}", PatchColumn).WithName("PatchDatasetColumn").RequireAuthorization(Scopes.DatasetsWrite).LiveOnly("tagging a column")
            .Refuses(CommonErrors.Validation, CatalogueErrors.DatasetNotFound, CatalogueErrors.UnknownColumn)
            .WithSummary("Tag or untag one column of the caller's own dataset (for example after a tag suggestion), or declare it indexed; a tag takes effect on the next read, an index with the next version loaded.");
        group.MapGet("/organisations", ListOrganisations).WithName("ListOrganisations").AllowAnonymous()
            .WithSummary("The organisations that publish data.");
        group.MapGet("/themes", ListThemes).WithName("ListThemes").AllowAnonymous()
            .WithSummary("The catalogue's themes.");
        group.MapGet("/catalogue/dcat", DcatCatalogue.GetAsync).WithName("GetDcatCatalogue").AllowAnonymous()
            .Produces<string>(StatusCodes.Status200OK, DcatCatalogue.ContentType)
            .WithSummary("The whole catalogue as DCAT-AP JSON-LD.");
        return group;
    }

    internal static async Task<Results<Ok<DatasetPage>, ProblemHttpResult>> SearchDatasets(
        [AsParameters] DatasetSearch search, CatalogueStore store, HttpRequest request, CancellationToken cancellationToken)
    {
        var page = await store.PageAsync(search, cancellationToken);
        if (page.Refusal is { } refusal)
        {
            return Problems.From(refusal);
        }
        var baseUrl = PublicUrl.Base(request);
        return TypedResults.Ok(new DatasetPage(page.Value!.Items.Select(r => ToSummary(r, baseUrl)).ToList(), page.Value.Next));
    }

    internal static async Task<Results<Ok<DatasetDetail>, ProblemHttpResult>> GetDataset(
        string id, ClaimsPrincipal user, CatalogueStore store, HttpRequest request, ICallerViewResolver views, CancellationToken cancellationToken)
    {
        var found = await store.GetAsync(id, cancellationToken);
        if (found is null)
        {
            return DatasetNotFound(id);
        }
        var (row, columns, versions) = found.Value;
        var schema = DatasetDirectory.ToSchema(row, columns);
        var view = await views.ResolveAsync(user, schema, cancellationToken);
        var suggestions = IsOwnerOrOperator(user, row.OwnerId) ? await store.SuggestionsAsync(row.Key, cancellationToken) : null;
        return TypedResults.Ok(ToDetail(row, schema, view, versions, PublicUrl.Base(request), suggestions));
    }

    /// <summary>Owners see suggestions for their own datasets, operators for all; others never learn what profiling found.</summary>
    internal static async Task<Results<Ok<LineageView>, ProblemHttpResult>> GetLineage(string id, CatalogueStore store, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is null)
        {
            return Problems.From(DatasetDirectory.NotFound(id));
        }
        var (sources, derived) = await store.LineageAsync(id, cancellationToken);
        return TypedResults.Ok(new LineageView(id, sources, derived));
    }

    private static bool IsOwnerOrOperator(ClaimsPrincipal user, string ownerId) =>
        string.Equals(user.TenantId(), ownerId, StringComparison.Ordinal) || user.HasScope(Scopes.PlatformAdmin);

    internal static async Task<Results<Ok<DatasetDetail>, ProblemHttpResult>> PatchColumn(
        string id, string name, ColumnPatch body, ClaimsPrincipal user, CatalogueStore store, ColumnTagger tagger, HttpRequest request,
        ICallerViewResolver views, CancellationToken cancellationToken)
    {
        var tagged = await tagger.ChangeAsync(user, id, name, body ?? new ColumnPatch { Tag = null }, cancellationToken);
        if (tagged.Refusal is { } refusal)
        {
            return Problems.From(refusal);
        }
        return await GetDataset(id, user, store, request, views, cancellationToken);
    }

    internal static async Task<Results<Created<DatasetDetail>, ProblemHttpResult>> CreateDataset(
        NewDataset body, ClaimsPrincipal user, CatalogueStore store, HttpRequest request, ICallerViewResolver views, DatasetDeclarations declarations,
        CancellationToken cancellationToken)
    {
        var declared = await declarations.DeclareAsync(user, body, cancellationToken);
        if (declared.Refusal is { } refusal)
        {
            return Problems.From(refusal);
        }
        var id = declared.Value!;
        var created = (await store.GetAsync(id, cancellationToken))!.Value;
        var schema = DatasetDirectory.ToSchema(created.Dataset, created.Columns);
        var view = await views.ResolveAsync(user, schema, cancellationToken);
        var baseUrl = PublicUrl.Base(request);
        return TypedResults.Created($"{baseUrl}/v1/datasets/{id}", ToDetail(created.Dataset, schema, view, created.Versions, baseUrl, []));
    }

    internal static async Task<Ok<OrganisationList>> ListOrganisations(CatalogueStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new OrganisationList(await store.OrganisationsAsync(cancellationToken)));

    internal static async Task<Ok<ThemeList>> ListThemes(CatalogueStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ThemeList(await store.ThemesAsync(cancellationToken)));

    public static ProblemHttpResult DatasetNotFound(string id) => Problems.From(DatasetDirectory.NotFound(id));

    internal static DatasetLinks LinksFor(string id, string baseUrl)
    {
        var self = $"{baseUrl}/v1/datasets/{Uri.EscapeDataString(id)}";
        return new DatasetLinks(self, $"{self}/records", $"{self}/export?format=csv", $"{self}/export?format=ndjson");
    }

    internal static DatasetSummary ToSummary(DatasetRow r, string baseUrl) =>
        new(r.Id, r.Title, r.TitleEn, r.Description, r.DescriptionEn, r.ThemeId, r.OwnerId, r.ParsedClassification, r.License, r.UpdateFrequency,
            r.CurrentVersion, r.RowCount, r.CreatedAt, r.UpdatedAt, LinksFor(r.Id, baseUrl));

    /// <summary>A dataset's columns as this caller's view shows them (REST's detail and GraphQL's <c>Dataset.columns</c>).</summary>
    internal static List<ColumnView> ColumnsFor(DatasetSchema schema, CallerView view) =>
        schema.Columns.Select(c => new ColumnView(c.Name, c.Type, c.Title, c.Description, c.Tag, view.VisibilityOf(c), view.CanFilterOn(c), c.Suspected is not null, c.TitleEn, c.DescriptionEn, c.Indexed)).ToList();

    private static DatasetDetail ToDetail(DatasetRow r, DatasetSchema schema, CallerView view, List<VersionRow> versions, string baseUrl,
        IReadOnlyList<TagSuggestion>? suggestions) =>
        new(r.Id, r.Title, r.TitleEn, r.Description, r.DescriptionEn, r.ThemeId, r.OwnerId, schema.Classification, r.License, r.UpdateFrequency,
            r.CurrentVersion, r.RowCount, r.CreatedAt, r.UpdatedAt, view.Access,
            ColumnsFor(schema, view),
            versions.Select(v => new DatasetVersionInfo(v.Version, v.RowCount, v.PublishedAt, v.Status)).ToList(),
            LinksFor(r.Id, baseUrl),
            suggestions);
}
