using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using nietras.SeparatedValues;
using Npgsql;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Datasets;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Ingestion;

/// <summary>
/// Loads a CSV into a new version of a dataset: streaming parse (Sep), header and type checks, bulk load into the
/// version's own table, and the atomic switch only when every row passed. Anything less leaves readers on the old version.
/// </summary>
internal sealed class CsvLoader(Database database, VersionStore versions, IOptions<IngestionOptions> options, Desensitisation.DesensitisationPolicy policy,
    TimeProvider clock, ILogger<CsvLoader> logger)
{
    private const int ProgressEvery = 4096;

    public LoadResult Load(DatasetSchema dataset, Stream source, Encoding encoding, IngestionProgress progress, CancellationToken cancellationToken)
    {
        var errors = new List<RowError>();
        var maxErrors = options.Value.MaxReportedErrors;
        long rows = 0;
        long rejected = 0;
        int? version = null;
        string? table = null;
        System.Data.Common.DbConnection? connection = null;
        PipelinedRowSink? sink = null;
        Desensitisation.ColumnProfiler? profiler = null;
        QualityProfiler? quality = null;
        try
        {
            using var text = new StreamReader(source, encoding, detectEncodingFromByteOrderMarks: encoding is UTF8Encoding, bufferSize: 1 << 16, leaveOpen: true);
            using var csv = Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true, HasHeader = true }).From(text);
            if (!csv.HasHeader || csv.Header.ColNames.Count == 0)
            {
                return Failed("the file is empty: send a header line with the column names, then the rows");
            }
            var mapping = MapHeader(dataset, csv.Header.ColNames, out var headerProblem);
            if (mapping is null)
            {
                return Failed(headerProblem!);
            }

            (version, table) = versions.Begin(dataset, clock.GetUtcNow());
            connection = database.Open();
            if (connection is NpgsqlConnection)
            {
                // Held while loading, so a starting node can tell a live load from one a crash left behind.
                connection.Execute("SELECT pg_advisory_lock(@lockKey)", new { lockKey = VersionStore.LoadLockKey(dataset.Key, version.Value) });
            }
            profiler = new Desensitisation.ColumnProfiler(dataset, policy);
            // The profiler reads every cell of the untagged columns, the costliest check: on its own thread, fed the loaded rows.
            sink = new PipelinedRowSink(connection is NpgsqlConnection pg
                ? new PostgresRowSink(pg, database.Dialect, table, dataset.Columns)
                : new SqliteRowSink(connection, database.Dialect, table, dataset.Columns), dataset.Columns.Count, profiler.Observe);
            var values = new object?[dataset.Columns.Count];
            var lastText = new string?[dataset.Columns.Count];
            quality = new QualityProfiler(dataset);
            var headerCount = csv.Header.ColNames.Count;
            foreach (var row in csv)
            {
                rows++;
                var rowOk = true;
                var raw = row.Span;
                if (raw.Contains('"') && raw.Count('"') % 2 != 0)
                {
                    // A field's quotes always pair up; an odd count means a quote opened and never closed,
                    // which would otherwise swallow the rest of the file into one field.
                    rowOk = false;
                    Add(new RowError(rows, row.LineNumberFrom, null, $"has a quoted field that is never closed (a '\"' opened on line {row.LineNumberFrom} has no closing quote)"));
                }
                else if (row.ColCount != headerCount)
                {
                    rowOk = false;
                    Add(new RowError(rows, row.LineNumberFrom, null, $"has {row.ColCount} fields but the header has {headerCount}"));
                }
                else
                {
                    for (var i = 0; i < mapping.Length; i++)
                    {
                        var column = dataset.Columns[i];
                        var field = row[mapping[i]].Span;
                        if (lastText[i] is { } last && field.SequenceEqual(last))
                        {
                            // The same text as this column's in the row before (codes repeat row after row): the same string.
                            values[i] = last;
                            continue;
                        }
                        if (!ValueParser.TryParse(field, column.Type, out values[i], out var problem))
                        {
                            rowOk = false;
                            Add(new RowError(rows, row.LineNumberFrom, column.Name, $"value '{Shorten(field)}' {problem}"));
                        }
                        else if (column.Type == ColumnType.String && values[i] is string parsed)
                        {
                            lastText[i] = parsed;
                        }
                    }
                }
                if (!rowOk)
                {
                    rejected++;
                }
                else
                {
                    // Every checked row counts in the quality report, also after a rejection, so a failed upload still says what its good rows hold.
                    quality.Observe(values);
                    if (rejected == 0)
                    {
                        sink.Add(rows, values);
                    }
                }
                if (rows % ProgressEvery == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress.Report(SafePosition(source), rows, rejected);
                }
            }
            progress.Report(SafePosition(source), rows, rejected);
            if (rows == 0)
            {
                return Failed("the file has a header but no rows; nothing was published");
            }
            if (rejected > 0)
            {
                return Failed($"{rejected} of {rows} rows were rejected; nothing was published. Fix the rows listed and upload the whole file again");
            }
            sink.Complete();
            sink.Dispose();
            // Indexes after the bulk load (cheaper than maintaining them row by row), before readers can see the version.
            if (versions.BuildIndexes(dataset, table) is { } failed)
            {
                return Failed($"the rows loaded but the index on column '{failed.Column.Name}' could not be built ({failed.Error.Message.Trim()}); nothing was published. " +
                    $"Shorten its values, or stop indexing it (PATCH /v1/datasets/{dataset.Id}/columns/{failed.Column.Name} with {{\"indexed\": false}}), then upload again");
            }
            var suggestions = profiler.Suggestions();
            versions.Publish(dataset, version.Value, table, rows, clock.GetUtcNow(), suggestions, profiler.Suspicions(suggestions));
            if (connection is NpgsqlConnection)
            {
                connection.Execute("SELECT pg_advisory_unlock_all()");
            }
            connection.Dispose();
            versions.DropOldVersions(dataset.Key, options.Value.RetainedVersions);
            logger.LogInformation("Published version {Version} of {Dataset}: {Rows} rows", version, dataset.Id, rows);
            return new LoadResult(true, version, rows, 0, errors, null, quality.Report(rows, suggestions));
        }
        catch (IngestionHaltedException)
        {
            // A test's stand-in for the node dying mid-load: nothing is cleaned up; the connections close as a dying process's would.
            throw;
        }
        catch (DecoderFallbackException e)
        {
            return Failed($"the file is not valid {encoding.WebName} near byte {e.Index}: if it was saved as GB18030/GBK, send it with charset=gb18030");
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or NotSupportedException or ArgumentException)
        {
            return Failed($"the file is not well-formed CSV near row {rows + 1}: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Loading {Dataset} failed", dataset.Id);
            AbandonIfStarted();
            throw;
        }
        catch (OperationCanceledException)
        {
            AbandonIfStarted();
            throw;
        }
        finally
        {
            sink?.Dispose();
            connection?.Dispose();
        }

        void Add(RowError error)
        {
            if (errors.Count < maxErrors)
            {
                errors.Add(error);
            }
        }

        void AbandonIfStarted()
        {
            // Roll the staging insert back first: on SQLite its open transaction would block the DROP.
            sink?.Dispose();
            connection?.Dispose();
            if (version is not null && table is not null)
            {
                versions.Abandon(dataset.Key, version.Value, table);
                version = null;
            }
        }

        LoadResult Failed(string message)
        {
            // The profiler has seen every row the load took before the suggestions in the report are read.
            sink?.CompleteObserving();
            AbandonIfStarted();
            return new LoadResult(false, null, rows, rejected, errors, message, quality?.Report(0, profiler?.Suggestions() ?? []));
        }
    }


    /// <summary>Maps each declared column to its index in the file's header; the header must name each declared column once and nothing else.</summary>
    private static int[]? MapHeader(DatasetSchema dataset, IReadOnlyList<string> header, out string? problem)
    {
        problem = null;
        var names = header.Select(h => h.Trim()).ToList();
        var duplicates = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var missing = dataset.Columns.Select(c => c.Name).Where(n => !names.Contains(n, StringComparer.Ordinal)).ToList();
        var unknown = names.Where(n => dataset.FindColumn(n) is null).ToList();
        if (duplicates.Count > 0 || missing.Count > 0 || unknown.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"missing column(s): {string.Join(", ", missing)}");
            }
            if (unknown.Count > 0)
            {
                parts.Add($"column(s) not declared by the dataset: {string.Join(", ", unknown)}");
            }
            if (duplicates.Count > 0)
            {
                parts.Add($"column(s) named twice: {string.Join(", ", duplicates)}");
            }
            problem = $"the header does not match the dataset's columns ({string.Join(", ", dataset.Columns.Select(c => c.Name))}): {string.Join("; ", parts)}";
            return null;
        }
        return dataset.Columns.Select(c => names.IndexOf(c.Name)).ToArray();
    }

    private static string Shorten(ReadOnlySpan<char> value) => value.Length <= 60 ? value.ToString() : string.Concat(value[..57], "...");

    private static long SafePosition(Stream stream) => stream is StagedUploadStream || stream.CanSeek ? stream.Position : 0;
}
