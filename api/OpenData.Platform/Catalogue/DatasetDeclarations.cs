using System.Security.Claims;
using OpenData.Platform.Common;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Catalogue;

/// <summary>
/// Declares a new dataset for the caller's organisation: the rules of <c>POST /v1/datasets</c>, which the portal's publish
/// form follows too (an owner tenant only, every field checked and named, a free id). A dataset that declares <c>sources</c> is
/// derived from them (lineage): it takes the strictest of their classifications and its own, and each column it carries from a
/// source (same name) takes that column's tag — a declared tag that differs is refused, since it would weaken the protection the
/// source's owner set; the sources' owners see the derivation in their audit (<c>dataset.derived</c>).
/// A licensed data service provider (a consumer tenant the operator licensed, <see cref="IPublisherLicences"/>) publishes derived
/// datasets only: it names at least one source, and may derive only from data it may read itself (open, or a grant in force);
/// once its licence is revoked it declares nothing more.
/// </summary>
internal sealed class DatasetDeclarations(CatalogueStore store, DatasetDirectory directory, DesensitisationPolicy policy, ICallerViewResolver views,
    IEnumerable<IPublisherLicences> licences, Audit.AuditLog audit, TimeProvider clock)
{
    private readonly IPublisherLicences[] _licences = [.. licences];

    /// <summary>
    /// The declared dataset's id, or the refusal: not a publishing organisation, or a provider whose licence was revoked (403),
    /// invalid fields (400, each named; a provider's missing sources), a provider's source it may not read (403), the id taken (409).
    /// </summary>
    public async Task<Outcome<string>> DeclareAsync(ClaimsPrincipal user, NewDataset? body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var owner = user.TenantId();
        if (owner is null || !await store.OrganisationExistsAsync(owner, cancellationToken))
        {
            return Refusal.Forbidden(CatalogueErrors.OwnerRequired,
                "only a data-owning organisation, or a provider the operator licensed, can publish datasets; the caller's tenant is neither");
        }
        var licence = await LicenceOfAsync(owner, cancellationToken);
        if (licence == PublisherLicence.Revoked)
        {
            return LicenceRevoked(owner);
        }
        var themes = (await store.ThemesAsync(cancellationToken)).Select(t => t.Id).ToList();
        var valid = DatasetValidator.Validate(body, themes, policy, out var errors);
        if (licence == PublisherLicence.InForce && body?.Sources is not { Count: > 0 })
        {
            errors["sources"] = ["a licensed provider publishes derived datasets only: name in sources at least one dataset it derives from"];
        }
        if (valid is null || errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        var (inherited, sources, refusal) = await InheritAsync(valid, body!.Sources, licence == PublisherLicence.InForce ? user : null, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        if (!await store.CreateAsync(inherited!, owner, clock.GetUtcNow(), cancellationToken, sources))
        {
            return Refusal.Conflict(CatalogueErrors.DatasetExists, $"a dataset with id '{valid.Id}' exists already: choose another id or publish a new version of it");
        }
        foreach (var source in sources)
        {
            await audit.AppendAsync(new Audit.AuditEvent("dataset.derived", owner, user.Actor(), source.Id, source.Owner, valid.Id,
                Audit.AuditDetails.Of(("source", source.Id), ("derived", valid.Id), ("by", owner), ("classification", inherited!.Classification.ToString().ToLowerInvariant()))),
                cancellationToken);
        }
        return valid.Id;
    }

    public const int MaxSources = 20;

    /// <summary>Where the tenant stands as a licensed provider (none when no module answers: every publisher is an owner).</summary>
    public async ValueTask<PublisherLicence> LicenceOfAsync(string tenantId, CancellationToken cancellationToken)
    {
        foreach (var source in _licences)
        {
            if (await source.OfAsync(tenantId, cancellationToken) is not PublisherLicence.None and var licence)
            {
                return licence;
            }
        }
        return PublisherLicence.None;
    }

    /// <summary>The refusal of a provider whose licence was revoked (a new dataset, or a new version of one it published).</summary>
    public static Refusal LicenceRevoked(string tenantId) => Refusal.Forbidden(CatalogueErrors.LicenceRevoked,
        $"the provider licence of '{tenantId}' was revoked: its datasets stay readable, but it publishes no new dataset or version until the operator licenses it again");

    /// <summary>
    /// The dataset as its sources make it (classification, carried tags) and the sources, or the refusal naming what to fix;
    /// with a <paramref name="reader"/> (a licensed provider), each source must be one the reader may read.
    /// </summary>
    private async Task<(ValidDataset? Dataset, List<DatasetSource> Sources, Refusal? Refusal)> InheritAsync(ValidDataset valid, IReadOnlyList<string>? ids,
        ClaimsPrincipal? reader, CancellationToken cancellationToken)
    {
        if (ids is null || ids.Count == 0)
        {
            return (valid, [], null);
        }
        static Refusal Bad(string field, string message) => Refusal.Validation(new Dictionary<string, string[]> { [field] = [message] });
        if (ids.Count > MaxSources)
        {
            return (null, [], Bad("sources", $"sources names at most {MaxSources} datasets"));
        }
        var schemas = new List<Datasets.DatasetSchema>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (id == valid.Id)
            {
                return (null, [], Bad("sources", "a dataset is not its own source"));
            }
            var source = id is null ? null : await directory.FindAsync(id, cancellationToken);
            if (source is null)
            {
                return (null, [], Bad("sources", $"there is no dataset '{id}' to derive from"));
            }
            if (reader is not null && (await views.ResolveAsync(reader, source, cancellationToken)).Access is not (DatasetAccess.Open or DatasetAccess.Granted))
            {
                return (null, [], Refusal.Forbidden(CatalogueErrors.SourceNotReadable,
                    $"'{id}' is {source.Classification.ToString().ToLowerInvariant()} and the caller holds no grant in force for it: a provider derives only from data it may read (request access to '{id}' first, or drop it from sources)"));
            }
            schemas.Add(source);
        }
        var classification = schemas.Select(s => s.Classification).Append(valid.Classification).Max();
        var columns = new List<Datasets.ColumnDefinition>();
        for (var i = 0; i < valid.Columns.Count; i++)
        {
            var column = valid.Columns[i];
            var carried = schemas.SelectMany(s => s.Columns.Where(c => c.Name == column.Name && c.Tag is not null).Select(c => (Source: s.Id, c.Tag))).FirstOrDefault();
            if (carried.Tag is null || column.Tag == carried.Tag)
            {
                columns.Add(column);
                continue;
            }
            if (column.Tag is not null)
            {
                return (null, [], Bad($"columns[{i}].tag",
                    $"column '{column.Name}' carries '{carried.Tag}' from its source '{carried.Source}': a derived dataset keeps its sources' tags (declare '{carried.Tag}' or no tag)"));
            }
            columns.Add(column with { Tag = carried.Tag });
        }
        return (valid with { Classification = classification, Columns = columns }, [.. schemas.Select(s => new DatasetSource(s.Id, s.OwnerId))], null);
    }
}
