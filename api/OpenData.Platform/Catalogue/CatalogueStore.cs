using System.Text;
using Dapper;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Catalogue;

/// <summary>The catalogue's SQL: search, organisations, themes, dataset creation.</summary>
internal sealed class CatalogueStore(Database database, CursorSeal seal)
{
    /// <summary>Whether the catalogue holds no dataset at all (start-up seeds only an empty one).</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return !await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM datasets)", cancellationToken: cancellationToken));
    }

    public async Task<(List<DatasetRow> Rows, bool More)> SearchAsync(DatasetSearch search, string? after, int limit, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder($"SELECT {DatasetDirectory.DatasetColumns} FROM datasets WHERE 1 = 1");
        var parameters = new DynamicParameters();
        if (after is not null)
        {
            sql.Append(" AND id > @after");
            parameters.Add("after", after);
        }
        if (!string.IsNullOrWhiteSpace(search.Q))
        {
            var q = "%" + SqlDialect.EscapeLike(search.Q.Trim()) + "%";
            parameters.Add("q", q);
            var d = database.Dialect;
            sql.Append(" AND ").Append(TextMatch(d, "@q"));
        }
        if (!string.IsNullOrWhiteSpace(search.Theme))
        {
            sql.Append(" AND theme_id = @theme");
            parameters.Add("theme", search.Theme);
        }
        if (!string.IsNullOrWhiteSpace(search.Owner))
        {
            sql.Append(" AND owner_id = @owner");
            parameters.Add("owner", search.Owner);
        }
        if (!string.IsNullOrWhiteSpace(search.Classification))
        {
            sql.Append(" AND classification = @classification");
            parameters.Add("classification", search.Classification.ToLowerInvariant());
        }
        sql.Append(" ORDER BY id LIMIT @take");
        parameters.Add("take", limit + 1);

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<DatasetRow>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken))).ToList();
        var more = rows.Count > limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        return (rows, more);
    }

    /// <summary>
    /// The text search, as the API and the portal both run it: the id, or the title or description in either language,
    /// holds <paramref name="parameter"/> (a LIKE pattern), ignoring case. A missing English text matches nothing.
    /// </summary>
    internal static string TextMatch(SqlDialect dialect, string parameter) =>
        "(" + string.Join(" OR ", SearchedColumns.Select(c => dialect.ContainsIgnoreCase(c, parameter))) + ")";

    private static readonly string[] SearchedColumns = ["id", "title", "description", "title_en", "description_en"];

    private static ReadOnlySpan<byte> CursorContext => "catalogue"u8;

    /// <summary>
    /// One page of a catalogue search, checked as REST and GraphQL both take it: page size, cursor, classification.
    /// </summary>
    public async Task<Outcome<DatasetRowPage>> PageAsync(DatasetSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        var limit = search.Limit ?? CatalogueEndpoints.DefaultPageSize;
        if (limit < 1 || limit > CatalogueEndpoints.MaxPageSize)
        {
            return Refusal.BadRequest(CommonErrors.InvalidLimit, $"limit must be between 1 and {CatalogueEndpoints.MaxPageSize}");
        }
        string? after = null;
        if (search.Cursor is not null && (seal.Open(search.Cursor, CursorContext) is not { } bytes || (after = Encoding.UTF8.GetString(bytes)).Length == 0))
        {
            return Refusal.BadRequest(CommonErrors.InvalidCursor, "cursor is not one this endpoint issued: pass the 'next' value of the previous page unchanged");
        }
        if (search.Classification is not null && search.Classification.ToLowerInvariant() is not ("open" or "restricted" or "sensitive"))
        {
            return Refusal.BadRequest(CommonErrors.InvalidParameter, "classification must be open, restricted or sensitive");
        }
        var (rows, more) = await SearchAsync(search, after, limit, cancellationToken);
        return new DatasetRowPage(rows, more ? seal.Seal(Encoding.UTF8.GetBytes(rows[^1].Id), CursorContext) : null);
    }

    /// <summary>Datasets by id, in one query (GraphQL's batch loads).</summary>
    public async Task<List<DatasetRow>> RowsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var parameters = new DynamicParameters();
        var list = SqlList.In(parameters, "i", ids);
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DatasetRow>(new CommandDefinition(
            $"SELECT {DatasetDirectory.DatasetColumns} FROM datasets WHERE id IN {list}", parameters, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The columns of several datasets, in one query, in column order.</summary>
    public async Task<List<ColumnRow>> ColumnsAsync(IReadOnlyCollection<long> datasetKeys, CancellationToken cancellationToken)
    {
        if (datasetKeys.Count == 0)
        {
            return [];
        }
        var parameters = new DynamicParameters();
        var list = SqlList.In(parameters, "k", datasetKeys);
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ColumnRow>(new CommandDefinition(
            $"SELECT dataset_key, position, name, type, title, description, tag, suspected, title_en, description_en, indexed FROM dataset_columns WHERE dataset_key IN {list} ORDER BY dataset_key, position",
            parameters, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<(DatasetRow Dataset, List<ColumnRow> Columns, List<VersionRow> Versions)?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DatasetRow>(new CommandDefinition(
            $"SELECT {DatasetDirectory.DatasetColumns} FROM datasets WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }
        var columns = (await connection.QueryAsync<ColumnRow>(new CommandDefinition(
            "SELECT dataset_key, position, name, type, title, description, tag, suspected, title_en, description_en, indexed FROM dataset_columns WHERE dataset_key = @key ORDER BY position",
            new { key = row.Key }, cancellationToken: cancellationToken))).ToList();
        var versions = (await connection.QueryAsync<VersionRow>(new CommandDefinition(
            "SELECT version, table_name, row_count, status, published_at FROM dataset_versions WHERE dataset_key = @key AND status IN ('published', 'retired') ORDER BY version DESC",
            new { key = row.Key }, cancellationToken: cancellationToken))).ToList();
        return (row, columns, versions);
    }

    /// <summary>Tags suggested by profiling the current version, in column order.</summary>
    public async Task<List<Desensitisation.TagSuggestion>> SuggestionsAsync(long datasetKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SuggestionRow>(new CommandDefinition(
            """
            SELECT c.name AS column_name, s.tag, s.share, s.sampled
            FROM tag_suggestions s JOIN dataset_columns c ON c.dataset_key = s.dataset_key AND c.position = s.position
            WHERE s.dataset_key = @datasetKey AND c.tag IS NULL
            ORDER BY s.position, s.share DESC
            """,
            new { datasetKey }, cancellationToken: cancellationToken));
        return rows.Select(r => new Desensitisation.TagSuggestion(r.ColumnName, r.Tag, r.Share, (int)r.Sampled)).ToList();
    }

    /// <summary>Per dataset of <paramref name="ownerId"/> with something to tag: untagged columns with a suggestion, and suspected ones.</summary>
    public async Task<List<TaggingBacklog>> TaggingBacklogAsync(string ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TaggingBacklog>(new CommandDefinition(
            """
            SELECT d.id AS dataset_id,
                   COUNT(DISTINCT CASE WHEN s.position IS NOT NULL THEN c.position END) AS suggested,
                   COUNT(DISTINCT CASE WHEN c.suspected IS NOT NULL THEN c.position END) AS suspected
            FROM datasets d
            JOIN dataset_columns c ON c.dataset_key = d.key AND c.tag IS NULL
            LEFT JOIN tag_suggestions s ON s.dataset_key = c.dataset_key AND s.position = c.position
            WHERE d.owner_id = @ownerId AND (s.position IS NOT NULL OR c.suspected IS NOT NULL)
            GROUP BY d.id
            """,
            new { ownerId }, cancellationToken: cancellationToken))).ToList();
    }

    private sealed class SuggestionRow
    {
        public string ColumnName { get; set; } = "";
        public string Tag { get; set; } = "";
        public double Share { get; set; }
        public long Sampled { get; set; }
    }

    /// <summary>
    /// Sets or clears one column's tag; false when the dataset has no such column. A tag is the owner's word on what the column
    /// holds, so it ends a suspicion; taking a tag away leaves the column suspected, so that nothing that was protected turns
    /// clear and filterable without the owner saying `public`.
    /// </summary>
    public async Task<bool> SetTagAsync(long datasetKey, string column, string? tag, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE dataset_columns
            SET suspected = CASE WHEN @tag IS NOT NULL THEN NULL WHEN tag IS NOT NULL THEN 'untagged:' || tag ELSE suspected END,
                tag = @tag
            WHERE dataset_key = @datasetKey AND name = @column
            """,
            new { datasetKey, column, tag }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Declares one column indexed or not (the next load builds its index); false when the dataset has no such column.</summary>
    public async Task<bool> SetIndexedAsync(long datasetKey, string column, bool indexed, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE dataset_columns SET indexed = @indexed WHERE dataset_key = @datasetKey AND name = @column",
            new { datasetKey, column, indexed }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Marks untagged columns suspected (ingestion's profile of a version, or values the outbound check masked at read time);
    /// a column already suspected keeps its first reason. Returns how many columns became suspected.
    /// </summary>
    public static int Suspect(System.Data.IDbConnection connection, long datasetKey, IEnumerable<(int Position, string Reason)> columns,
        System.Data.IDbTransaction? transaction = null)
    {
        var marked = 0;
        foreach (var (position, reason) in columns)
        {
            marked += connection.Execute(
                "UPDATE dataset_columns SET suspected = @reason WHERE dataset_key = @datasetKey AND position = @position AND tag IS NULL AND suspected IS NULL",
                new { datasetKey, position, reason }, transaction);
        }
        return marked;
    }

    /// <summary>Adds the organisation unless one of its id exists (the demo seed's fixtures; an owner tenant's comes through <see cref="OrganisationRegistrar"/>).</summary>
    public async Task EnsureOrganisationAsync(Organisation organisation, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO organisations (id, name, name_en, homepage, email) VALUES (@Id, @Name, @NameEn, @Homepage, @Email) ON CONFLICT (id) DO NOTHING",
            organisation, cancellationToken: cancellationToken));
    }

    /// <summary>Adds the theme unless one of its id exists.</summary>
    public async Task EnsureThemeAsync(Theme theme, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO themes (id, name, name_en) VALUES (@Id, @Name, @NameEn) ON CONFLICT (id) DO NOTHING", theme, cancellationToken: cancellationToken));
    }

    public async Task<List<Organisation>> OrganisationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Organisation>(new CommandDefinition(
            "SELECT id, name, name_en AS NameEn, homepage, email FROM organisations ORDER BY id", cancellationToken: cancellationToken))).ToList();
    }

    public async Task<List<Theme>> ThemesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Theme>(new CommandDefinition(
            "SELECT id, name, name_en AS NameEn FROM themes ORDER BY id", cancellationToken: cancellationToken))).ToList();
    }

    public async Task<bool> OrganisationExistsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM organisations WHERE id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Inserts the dataset and its columns in one transaction; false when the id is taken.</summary>
    public async Task<bool> CreateAsync(ValidDataset dataset, string ownerId, DateTimeOffset now, CancellationToken cancellationToken,
        IReadOnlyList<DatasetSource>? sources = null)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM datasets WHERE id = @id", new { id = dataset.Id }, transaction, cancellationToken: cancellationToken));
        if (exists > 0)
        {
            return false;
        }
        long key;
        try
        {
            key = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO datasets (id, owner_id, title, description, title_en, description_en, theme_id, classification, license, update_frequency, row_count, created_at, updated_at)
                VALUES (@Id, @ownerId, @Title, @Description, @TitleEn, @DescriptionEn, @Theme, @classification, @License, @UpdateFrequency, 0, @now, @now)
                RETURNING key
                """,
                new { dataset.Id, ownerId, dataset.Title, dataset.Description, dataset.TitleEn, dataset.DescriptionEn, dataset.Theme, classification = dataset.Classification.ToString().ToLowerInvariant(), dataset.License, dataset.UpdateFrequency, now },
                transaction, cancellationToken: cancellationToken));
        }
        catch (System.Data.Common.DbException)
        {
            // A concurrent creation of the same id won the race on the unique index.
            await transaction.RollbackAsync(cancellationToken);
            if (await IdTakenAsync(dataset.Id, cancellationToken))
            {
                return false;
            }
            throw;
        }
        foreach (var column in dataset.Columns)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO dataset_columns (dataset_key, position, name, type, title, description, tag, title_en, description_en, indexed) VALUES (@key, @Position, @Name, @type, @Title, @Description, @Tag, @TitleEn, @DescriptionEn, @Indexed)",
                new { key, column.Position, column.Name, type = ColumnTypes.Name(column.Type), column.Title, column.Description, column.Tag, column.TitleEn, column.DescriptionEn, column.Indexed },
                transaction, cancellationToken: cancellationToken));
        }
        foreach (var source in sources ?? [])
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO dataset_sources (dataset_key, dataset_id, source_id, source_owner, created_at) VALUES (@key, @id, @Id2, @Owner, @now)",
                new { key, id = dataset.Id, Id2 = source.Id, source.Owner, now }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The datasets a dataset declares as its sources, and the datasets that declare it as theirs (lineage).</summary>
    public async Task<(List<DatasetSource> Sources, List<DatasetSource> Derived)> LineageAsync(string datasetId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sources = await connection.QueryAsync<DatasetSource>(new CommandDefinition(
            "SELECT source_id AS Id, source_owner AS Owner FROM dataset_sources WHERE dataset_id = @datasetId ORDER BY source_id", new { datasetId },
            cancellationToken: cancellationToken));
        var derived = await connection.QueryAsync<DatasetSource>(new CommandDefinition(
            """
            SELECT s.dataset_id AS Id, d.owner_id AS Owner FROM dataset_sources s JOIN datasets d ON d.key = s.dataset_key
            WHERE s.source_id = @datasetId ORDER BY s.dataset_id
            """, new { datasetId }, cancellationToken: cancellationToken));
        return ([.. sources], [.. derived]);
    }

    /// <summary>
    /// Gives a dataset seeded before titles had English the seed's English, unless it has some already (a platform seeded
    /// by an earlier release keeps its rows and gains the English on its next start).
    /// </summary>
    public async Task AddMissingEnglishAsync(ValidDataset dataset, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE datasets SET title_en = @TitleEn, description_en = @DescriptionEn WHERE id = @Id AND title_en IS NULL AND description_en IS NULL",
            new { dataset.Id, dataset.TitleEn, dataset.DescriptionEn }, cancellationToken: cancellationToken));
    }

    private async Task<bool> IdTakenAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM datasets WHERE id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
    }
}
