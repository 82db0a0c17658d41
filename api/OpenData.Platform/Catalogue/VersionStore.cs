using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;
using OpenData.Platform.Datasets;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Catalogue;

/// <summary>
/// Versions of a dataset, the catalogue's contract for ingestion (it owns <c>datasets</c>, <c>dataset_versions</c> and
/// <c>tag_suggestions</c>): each version's rows live in their own typed table (<c>records_{dataset}_{version}</c>), which the
/// loader fills between <see cref="Begin"/> and <see cref="Publish"/>; publishing is one transaction that moves the dataset's
/// pointer, so readers see the old rows or the new, never a mix.
/// </summary>
internal sealed class VersionStore(Database database, DatasetDirectory directory, ILogger<VersionStore> logger)
{
    /// <summary>The PostgreSQL advisory lock a node holds while it loads a version, so recovery elsewhere leaves the table alone.</summary>
    public static long LoadLockKey(long datasetKey, int version) => (datasetKey << 24) | (uint)version;

    public static string TableName(long datasetKey, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"records_{datasetKey}_{version}");

    /// <summary>Reserves the next version number and creates its empty table, invisible to readers.</summary>
    public (int Version, string Table) Begin(DatasetSchema dataset, DateTimeOffset now)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var connection = database.Open();
            var version = 1 + connection.ExecuteScalar<int?>("SELECT MAX(version) FROM dataset_versions WHERE dataset_key = @key", new { key = dataset.Key }) ?? 1;
            var table = TableName(dataset.Key, version);
            try
            {
                using var transaction = connection.BeginTransaction();
                connection.Execute(
                    "INSERT INTO dataset_versions (dataset_key, version, table_name, status, row_count, created_at) VALUES (@key, @version, @table, 'loading', 0, @now)",
                    new { key = dataset.Key, version, table, now }, transaction);
                connection.Execute($"DROP TABLE IF EXISTS {database.Dialect.Quote(table)}", transaction: transaction);
                connection.Execute(CreateTableSql(dataset, table), transaction: transaction);
                transaction.Commit();
                return (version, table);
            }
            catch (DbException) when (attempt < 5)
            {
                // Another node took the same number; take the next.
            }
        }
    }

    private string CreateTableSql(DatasetSchema dataset, string table)
    {
        var d = database.Dialect;
        var columns = string.Join(", ", dataset.Columns.Select(c => $"{c.PhysicalName} {d.ColumnType(c.Type)}"));
        // SQLite: _row is the rowid itself. PostgreSQL: the key is added after the bulk copy, which is faster than maintaining it.
        return d.Provider == DatabaseProvider.Sqlite
            ? $"CREATE TABLE {d.Quote(table)} (_row INTEGER PRIMARY KEY, {columns})"
            : $"CREATE TABLE {d.Quote(table)} (_row bigint NOT NULL, {columns})";
    }

    /// <summary>The name of the index on <paramref name="column"/> in a version's table (dropped with the table).</summary>
    public static string IndexName(string table, ColumnDefinition column) => $"{table}_{column.PhysicalName}";

    /// <summary>The name of the PostgreSQL index that serves prefix <c>like</c> on a text column.</summary>
    public static string PrefixIndexName(string table, ColumnDefinition column) => $"{table}_{column.PhysicalName}_prefix";

    /// <summary>
    /// The statements that index the columns its owner declared indexed in a loaded version's table (after the bulk load,
    /// which is faster without them, and before <see cref="Publish"/>).
    /// </summary>
    /// <remarks>
    /// SQLite: <c>(c)</c>, which carries the rowid <c>_row</c> as its last key, so it also serves the keyset order
    /// <c>c ASC NULLS FIRST, _row</c> (SQLite's own NULL order), and prefix <c>like</c>, which the planner sends as a case-sensitive
    /// GLOB that SQLite turns into a range on a BINARY index. PostgreSQL: <c>(c NULLS FIRST, _row)</c> for equality, <c>in</c>,
    /// ranges and the keyset order, and on a text column a second, <c>text_pattern_ops</c> index for prefix <c>like</c>: a
    /// default btree serves LIKE only under the C collation, and a range rewrite is exact only in it (<c>C.UTF-8</c> is not C to
    /// PostgreSQL 15's planner).
    /// </remarks>
    public IReadOnlyList<(ColumnDefinition Column, string Sql)> IndexSql(DatasetSchema dataset, string table)
    {
        var d = database.Dialect;
        var statements = new List<(ColumnDefinition, string)>();
        foreach (var column in dataset.Columns.Where(c => c.Indexed))
        {
            if (d.Provider == DatabaseProvider.Sqlite)
            {
                statements.Add((column, $"CREATE INDEX {d.Quote(IndexName(table, column))} ON {d.Quote(table)} ({column.PhysicalName})"));
                continue;
            }
            statements.Add((column, $"CREATE INDEX {d.Quote(IndexName(table, column))} ON {d.Quote(table)} ({column.PhysicalName} NULLS FIRST, _row)"));
            if (column.Type == ColumnType.String)
            {
                statements.Add((column, $"CREATE INDEX {d.Quote(PrefixIndexName(table, column))} ON {d.Quote(table)} ({column.PhysicalName} text_pattern_ops)"));
            }
        }
        return statements;
    }

    /// <summary>
    /// Builds the indexes of a loaded, unpublished version (<see cref="IndexSql"/>); null when they all stand, or the column whose
    /// index could not be built and the engine's reason. The table is the caller's to abandon then: nothing is published.
    /// </summary>
    public (ColumnDefinition Column, DbException Error)? BuildIndexes(DatasetSchema dataset, string table)
    {
        var statements = IndexSql(dataset, table);
        if (statements.Count == 0)
        {
            return null;
        }
        using var connection = database.Open();
        foreach (var (column, sql) in statements)
        {
            try
            {
                connection.Execute(sql, commandTimeout: 0);
            }
            catch (DbException e)
            {
                logger.LogWarning(e, "Could not index column {Column} of {Table}", column.Name, table);
                return (column, e);
            }
        }
        return null;
    }

    /// <summary>
    /// Makes a fully loaded version the one readers get, in one transaction, and retires the previous one. Tags suggested by
    /// profiling the version replace the previous version's in the same transaction, when this version becomes current; so do
    /// the suspicions it raised (a suspected column is never filterable by callers, not even for a moment).
    /// </summary>
    public void Publish(DatasetSchema dataset, int version, string table, long rows, DateTimeOffset now, IReadOnlyList<Desensitisation.TagSuggestion>? suggestions = null,
        IReadOnlyList<(int Position, string Reason)>? suspicions = null)
    {
        using var connection = database.Open();
        if (database.Provider == DatabaseProvider.Postgres)
        {
            connection.Execute($"ALTER TABLE {database.Dialect.Quote(table)} ADD PRIMARY KEY (_row)", commandTimeout: 0);
            connection.Execute($"ANALYZE {database.Dialect.Quote(table)}", commandTimeout: 0);
        }
        using (var transaction = connection.BeginTransaction())
        {
            connection.Execute(
                "UPDATE dataset_versions SET status = 'retired' WHERE dataset_key = @key AND status = 'published' AND version < @version",
                new { key = dataset.Key, version }, transaction);
            connection.Execute(
                "UPDATE dataset_versions SET status = 'published', row_count = @rows, published_at = @now WHERE dataset_key = @key AND version = @version",
                new { key = dataset.Key, version, rows, now }, transaction);
            // A slower upload that started earlier never replaces a newer version.
            var current = connection.Execute(
                "UPDATE datasets SET current_version = @version, row_count = @rows, updated_at = @now WHERE key = @key AND (current_version IS NULL OR current_version < @version)",
                new { key = dataset.Key, version, rows, now }, transaction);
            if (current == 1 && suspicions is not null)
            {
                CatalogueStore.Suspect(connection, dataset.Key, suspicions, transaction);
            }
            if (current == 1 && suggestions is not null)
            {
                connection.Execute("DELETE FROM tag_suggestions WHERE dataset_key = @key", new { key = dataset.Key }, transaction);
                foreach (var s in suggestions)
                {
                    connection.Execute(
                        "INSERT INTO tag_suggestions (dataset_key, version, position, tag, share, sampled) VALUES (@key, @version, @position, @Tag, @Share, @Sampled)",
                        new { key = dataset.Key, version, position = dataset.FindColumn(s.Column)!.Position, s.Tag, s.Share, s.Sampled }, transaction);
                }
            }
            transaction.Commit();
        }
        directory.Forget(dataset.Id);
    }

    /// <summary>
    /// Drops the table of a version that did not load and gives its number back (the row goes), so the dataset's next version
    /// takes it: published version numbers stay contiguous.
    /// </summary>
    public void Abandon(long datasetKey, int version, string table)
    {
        try
        {
            using var connection = database.Open();
            connection.Execute($"DROP TABLE IF EXISTS {database.Dialect.Quote(table)}");
            connection.Execute("DELETE FROM dataset_versions WHERE dataset_key = @datasetKey AND version = @version AND status IN ('loading', 'failed')",
                new { datasetKey, version });
        }
        catch (DbException e)
        {
            logger.LogWarning(e, "Could not drop {Table}; it stays marked loading and is cleaned at the next start", table);
        }
    }

    /// <summary>Drops tables of versions retired longer ago than the retention allows; a busy table is left for next time.</summary>
    public void DropOldVersions(long datasetKey, int retained)
    {
        using var connection = database.Open();
        var old = connection.Query<VersionRow>(
            "SELECT version, table_name, row_count, status, published_at FROM dataset_versions WHERE dataset_key = @datasetKey AND status = 'retired' ORDER BY version DESC",
            new { datasetKey }).Skip(retained).ToList();
        foreach (var version in old)
        {
            try
            {
                using var transaction = connection.BeginTransaction();
                if (database.Provider == DatabaseProvider.Postgres)
                {
                    // LOCAL: the setting ends with the transaction and never leaks to the pooled connection's next user.
                    connection.Execute("SET LOCAL lock_timeout = '2s'", transaction: transaction);
                }
                connection.Execute($"DROP TABLE IF EXISTS {database.Dialect.Quote(version.TableName)}", transaction: transaction);
                connection.Execute("UPDATE dataset_versions SET status = 'dropped' WHERE dataset_key = @datasetKey AND version = @version",
                    new { datasetKey, version = version.Version }, transaction);
                transaction.Commit();
            }
            catch (DbException e)
            {
                logger.LogInformation(e, "Version table {Table} is in use; it will be dropped after a later publish", version.TableName);
            }
        }
    }

    /// <summary>
    /// After a crash: versions left loading (of one dataset, or of all) have their tables dropped and their numbers given back. On
    /// PostgreSQL a load whose node still holds its lock is left alone; false when such a live load remains.
    /// </summary>
    public async Task<bool> RecoverAsync(CancellationToken cancellationToken, long? datasetKey = null)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var loading = (await connection.QueryAsync<(long Key, int Version, string Table)>(new CommandDefinition(
            "SELECT dataset_key, version, table_name FROM dataset_versions WHERE status = 'loading' AND (@datasetKey IS NULL OR dataset_key = @datasetKey)",
            new { datasetKey }, cancellationToken: cancellationToken))).ToList();
        var clear = true;
        foreach (var (key, version, table) in loading)
        {
            if (database.Provider == DatabaseProvider.Postgres
                && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@lockKey)",
                    new { lockKey = LoadLockKey(key, version) }, cancellationToken: cancellationToken)))
            {
                clear = false;
                continue; // another node is loading it right now
            }
            logger.LogWarning("Version {Version} of dataset {Key} was interrupted while loading; dropping {Table}", version, key, table);
            Abandon(key, version, table);
        }
        if (database.Provider == DatabaseProvider.Postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock_all()", cancellationToken: cancellationToken));
        }
        return clear;
    }
}
