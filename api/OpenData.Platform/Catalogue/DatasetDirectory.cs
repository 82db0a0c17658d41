using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using OpenData.Platform.Datasets;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Catalogue;

/// <summary>Looks up datasets for the read path and ingestion: schema, current version, version tables.</summary>
internal sealed class DatasetDirectory
{
    /// <summary>What other nodes are told to forget (<see cref="CacheSignals"/>): a dataset, by its id.</summary>
    public const string Signal = "dataset";

    private static readonly KeyValuePair<string, object?> CacheLabel = new("cache", "dataset");

    private readonly Database database;
    private readonly TimeProvider clock;
    private readonly CacheSignals signals;
    private readonly long _cacheTicks;
    private long _generation;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DatasetSchema Dataset, DatasetVersionTable? Current, DatasetRow Row, long Until)> _readCache = new(StringComparer.Ordinal);

    /// <summary>
    /// A node reuses a dataset's schema and current version for pages of records for <c>OpenData:Catalogue:ReadCacheSeconds</c>.
    /// Publishing (or retagging) on this node forgets it at once, and tells the other nodes, which forget it at once on PostgreSQL;
    /// otherwise they follow within that time, still reading the retired version's intact table.
    /// </summary>
    public DatasetDirectory(Database database, TimeProvider clock, CacheSignals signals, IOptions<CatalogueOptions> options)
    {
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(options);
        this.database = database;
        this.clock = clock;
        this.signals = signals;
        _cacheTicks = (long)(options.Value.ReadCacheSeconds * clock.TimestampFrequency);
        signals.Subscribe(Signal, ForgetHere);
    }

    /// <summary>The read lookup, served from this node's short cache when fresh.</summary>
    public async Task<(DatasetSchema? Dataset, DatasetVersionTable? Current)> FindForReadCachedAsync(string id, CancellationToken cancellationToken)
    {
        var now = clock.GetTimestamp();
        if (_readCache.TryGetValue(id, out var entry) && entry.Until > now)
        {
            Common.PlatformTelemetry.CacheLookup(CacheLabel, hit: true);
            return (entry.Dataset, entry.Current);
        }
        Common.PlatformTelemetry.CacheLookup(CacheLabel, hit: false);
        var generation = Interlocked.Read(ref _generation);
        var (dataset, current, row) = await LoadForReadAsync(id, cancellationToken);
        // A forget that arrived while this read ran may be about what it read: then it is not kept.
        if (dataset is not null && Interlocked.Read(ref _generation) == generation)
        {
            _readCache[id] = (dataset, current, row!, now + _cacheTicks);
        }
        return (dataset, current);
    }

    /// <summary>A dataset's catalogue row and schema from this node's read cache, when fresh (GraphQL reads metadata from it).</summary>
    internal bool TryGetCached(string id, out DatasetRow row, out DatasetSchema schema)
    {
        if (_readCache.TryGetValue(id, out var entry) && entry.Until > clock.GetTimestamp())
        {
            (row, schema) = (entry.Row, entry.Dataset);
            return true;
        }
        (row, schema) = (null!, null!);
        return false;
    }

    /// <summary>A dataset's catalogue row and schema, from the read cache or the store (which fills the cache).</summary>
    internal async Task<(DatasetRow? Row, DatasetSchema? Schema)> FindRowCachedAsync(string id, CancellationToken cancellationToken)
    {
        if (TryGetCached(id, out var row, out var schema))
        {
            return (row, schema);
        }
        await FindForReadCachedAsync(id, cancellationToken);
        return TryGetCached(id, out row, out schema) ? (row, schema) : (null, null);
    }

    /// <summary>The refusal for an id no dataset has.</summary>
    public static Common.Refusal NotFound(string id) =>
        Common.Refusal.NotFound(CatalogueErrors.DatasetNotFound, $"no dataset has the id '{id}': search the catalogue at /v1/datasets");

    /// <summary>The refusal for a dataset whose owner has not published a version yet.</summary>
    public static Common.Refusal NotPublished(string id) =>
        new(409, CatalogueErrors.DatasetNotPublished, $"'{id}' has no published version yet: its owner has to upload rows first");

    /// <summary>Forgets what this node cached of a dataset (after a publish or a change of its metadata), and tells the other nodes to.</summary>
    public void Forget(string id)
    {
        Interlocked.Increment(ref _generation);
        _readCache.TryRemove(id, out _);
        signals.Send(Signal, id);
    }

    /// <summary>Another node's signal: forget one dataset, or every one (null).</summary>
    private void ForgetHere(string? id)
    {
        Interlocked.Increment(ref _generation);
        if (id is null)
        {
            _readCache.Clear();
        }
        else
        {
            _readCache.TryRemove(id, out _);
        }
    }

    internal const string DatasetColumns =
        "key, id, owner_id, title, description, title_en, description_en, theme_id, classification, license, update_frequency, current_version, row_count, created_at, updated_at";

    /// <summary>A dataset's schema, read fresh from the store (ingestion, seed, CLI).</summary>
    public async Task<DatasetSchema?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await FindForReadAsync(id, cancellationToken)).Dataset;

    /// <summary>
    /// The read path's lookup: schema and the current version's table in one round trip
    /// (a row per column, the dataset's fields repeated on each).
    /// </summary>
    public async Task<(DatasetSchema? Dataset, DatasetVersionTable? Current)> FindForReadAsync(string id, CancellationToken cancellationToken)
    {
        var (dataset, current, _) = await LoadForReadAsync(id, cancellationToken);
        return (dataset, current);
    }

    private async Task<(DatasetSchema? Dataset, DatasetVersionTable? Current, DatasetRow? Row)> LoadForReadAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<DatasetReadRow>(new CommandDefinition(
            """
            SELECT d.key, d.id, d.owner_id, d.title, d.description, d.title_en, d.description_en, d.theme_id, d.classification, d.license, d.update_frequency,
                   d.current_version, d.row_count, d.created_at, d.updated_at,
                   v.table_name AS version_table, v.row_count AS version_rows,
                   c.position AS column_position, c.name AS column_name, c.type AS column_type, c.title AS column_title,
                   c.description AS column_description, c.tag AS column_tag, c.suspected AS column_suspected,
                   c.title_en AS column_title_en, c.description_en AS column_description_en, c.indexed AS column_indexed
            FROM datasets d
            LEFT JOIN dataset_versions v ON v.dataset_key = d.key AND v.version = d.current_version AND v.status = 'published'
            LEFT JOIN dataset_columns c ON c.dataset_key = d.key
            WHERE d.id = @id
            ORDER BY c.position
            """, new { id }, cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return (null, null, null);
        }
        var first = rows[0];
        var columns = rows.Where(r => r.ColumnName is not null).Select(r => new ColumnRow
        {
            DatasetKey = r.Key,
            Position = r.ColumnPosition ?? 0,
            Name = r.ColumnName!,
            Type = r.ColumnType!,
            Title = r.ColumnTitle!,
            Description = r.ColumnDescription,
            Tag = r.ColumnTag,
            Suspected = r.ColumnSuspected,
            TitleEn = r.ColumnTitleEn,
            DescriptionEn = r.ColumnDescriptionEn,
            Indexed = r.ColumnIndexed ?? false,
        });
        var schema = ToSchema(first, columns);
        var current = first.CurrentVersion is { } version && first.VersionTable is { } table
            ? new DatasetVersionTable(version, table, first.VersionRows ?? 0)
            : null;
        return (schema, current, first);
    }

    /// <summary>The table of a version that still holds rows (published now or retired by the last publish), or null.</summary>
    public async Task<DatasetVersionTable?> FindVersionAsync(long datasetKey, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<VersionRow>(new CommandDefinition(
            "SELECT version, table_name, row_count, status, published_at FROM dataset_versions WHERE dataset_key = @datasetKey AND version = @version AND status IN ('published', 'retired')",
            new { datasetKey, version }, cancellationToken: cancellationToken));
        return row is null ? null : new DatasetVersionTable(row.Version, row.TableName, row.RowCount);
    }

    /// <summary>Every dataset's published current version: the sandbox's worker makes a twin of each.</summary>
    public async Task<IReadOnlyList<PublishedVersion>> PublishedVersionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<PublishedVersion>(new CommandDefinition(
            """
            SELECT d.key AS dataset_key, d.id AS dataset_id, v.version, v.table_name, v.row_count
            FROM datasets d JOIN dataset_versions v ON v.dataset_key = d.key AND v.version = d.current_version AND v.status = 'published'
            ORDER BY d.key
            """, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>
    /// Each dataset's columns as one text (position, name, type, tag): what a derived artefact (a sandbox twin) was made from,
    /// so a change of tags is seen without loading every schema.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, string>> ColumnSignaturesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Key, long Position, string Name, string Type, string? Tag)>(new CommandDefinition(
            "SELECT dataset_key, position, name, type, tag FROM dataset_columns ORDER BY dataset_key, position", cancellationToken: cancellationToken));
        return rows.GroupBy(r => r.Key).ToDictionary(g => g.Key,
            g => string.Join("\n", g.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Position}\t{r.Name}\t{r.Type}\t{r.Tag}"))));
    }

    internal static DatasetSchema ToSchema(DatasetRow row, IEnumerable<ColumnRow> columns) =>
        new(row.Key, row.Id, row.OwnerId, row.Title, row.ParsedClassification, row.CurrentVersion,
            columns.Select(c => c.ToDefinition()).ToList());
}

/// <summary>A dataset's published current version and its table.</summary>
internal sealed class PublishedVersion
{
    public long DatasetKey { get; init; }

    public string DatasetId { get; init; } = "";

    public int Version { get; init; }

    public string TableName { get; init; } = "";

    public long RowCount { get; init; }
}
