using System.Data.Common;
using Dapper;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Records;

/// <summary>
/// A few stored values of each column of a dataset's current version, shown as an open (anonymous) caller would see them were each
/// column tagged as proposed: what the owner's tagging page shows beside a suggestion. The view's transform applies first, then the
/// outbound check on every value, whatever the tag, so the page never shows a personal value in clear.
/// </summary>
internal sealed class ColumnSamples(Database database, DatasetDirectory directory, ICallerViewResolver views)
{
    /// <summary>How many values of each column are shown.</summary>
    public const int PerColumn = 3;

    /// <summary>
    /// The samples of every column of <paramref name="datasetId"/>, each as the tag <paramref name="proposedTags"/> names for it
    /// (null: untagged) would show it at the open level; columns not named keep their tag. Null when no version is published.
    /// </summary>
    public async Task<IReadOnlyList<ColumnSample>?> ForOpenCallersAsync(string datasetId, IReadOnlyDictionary<string, string?> proposedTags,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposedTags);
        for (var attempt = 1; ; attempt++)
        {
            var (dataset, table) = await directory.FindForReadCachedAsync(datasetId, cancellationToken);
            if (dataset is null || table is null)
            {
                return null;
            }
            var proposed = dataset with
            {
                Columns = dataset.Columns.Select(c => proposedTags.TryGetValue(c.Name, out var tag) ? c with { Tag = tag } : c).ToList(),
            };
            try
            {
                return await ReadAsync(views.ProposedView(proposed, AccessLevel.Open, null, null), table, cancellationToken);
            }
            catch (DbException e) when (attempt == 1 && RecordReader.IsMissingTable(e))
            {
                // The cached version was retired by a publish on another node meanwhile: look again.
                directory.Forget(datasetId);
            }
        }
    }

    private async Task<IReadOnlyList<ColumnSample>> ReadAsync(CallerView view, DatasetVersionTable table, CancellationToken cancellationToken)
    {
        var samples = new List<ColumnSample>(view.Dataset.Columns.Count);
        var counts = new int[Enum.GetValues<PiiKind>().Length];
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var column in view.Dataset.Columns)
        {
            var visibility = view.VisibilityOf(column);
            if (visibility == ColumnVisibility.Hidden)
            {
                samples.Add(new ColumnSample(column.Name, visibility, []));
                continue;
            }
            var sql = $"SELECT {column.PhysicalName} FROM {database.Dialect.Quote(table.TableName)} WHERE {column.PhysicalName} IS NOT NULL ORDER BY _row LIMIT {PerColumn}";
            var values = new List<string>(PerColumn);
            using var pipeline = view.PipelineFor([column]);
            await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, cancellationToken: cancellationToken)))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var cells = new[] { database.Dialect.ReadCell(reader, 0, column.Type) };
                    pipeline?.Apply(cells);
                    if (CellFormat.Text(cells[0]) is { } text)
                    {
                        // Whatever the tag leaves (a clear gender, a district, an untagged remark), the check reads it once more.
                        values.Add(PiiScanner.Mask(text, counts) ?? text);
                    }
                }
            }
            samples.Add(new ColumnSample(column.Name, visibility, values));
        }
        return samples;
    }
}
