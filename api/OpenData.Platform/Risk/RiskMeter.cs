using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Claims;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;
using OpenData.Platform.Records;

namespace OpenData.Platform.Risk;

/// <summary>
/// Measures re-identification risk (DESIGN.md, "The protection model"): the k-anonymity of the quasi-identifier columns a view
/// shows, counted on the values as that view shows them. Owners and reviewers ask it about the view a consumer would get
/// (<c>GET /v1/datasets/{id}/risk</c>) and about the view an access request would grant (its <c>risk</c>).
/// </summary>
internal sealed class RiskMeter(RecordReader reader, DatasetDirectory directory, ICallerViewResolver views, DesensitisationPolicy policy,
    ClassificationPolicy classification, TimeProvider clock)
{
    /// <summary>Groups smaller than this are counted in <c>shareBelow5</c>.</summary>
    public const int SmallClass = 5;

    private const int CacheEntries = 1024;
    private static readonly TimeSpan CacheTime = TimeSpan.FromMinutes(5);

    // A version's rows never change (a new version is a new table), so a measurement keyed by table and the shown form of each
    // column stays true; the time only keeps memory in check.
    private readonly ConcurrentDictionary<string, (ReidentificationRisk Risk, long Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>
    /// The risk of the view a consumer would get of <paramref name="datasetId"/>: a grant of <paramref name="columns"/> (all when
    /// null) when its rows need one, otherwise the open view narrowed to those columns. For the dataset's owner and operators only.
    /// </summary>
    public async Task<Outcome<ReidentificationRisk>> ForConsumersAsync(ClaimsPrincipal caller, string datasetId, IReadOnlyList<string>? columns,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var (dataset, _) = await directory.FindForReadCachedAsync(datasetId, cancellationToken);
        if (dataset is null)
        {
            return DatasetDirectory.NotFound(datasetId);
        }
        var tenant = caller.TenantId();
        if (!string.Equals(tenant, dataset.OwnerId, StringComparison.Ordinal) && !caller.HasScope(Scopes.PlatformAdmin))
        {
            return Refusal.Forbidden(RiskErrors.NotReviewer,
                $"the re-identification risk of '{dataset.Id}' is shown to its owner '{dataset.OwnerId}' and the platform's reviewers only");
        }
        if (columns is not null)
        {
            foreach (var name in columns)
            {
                if (dataset.FindColumn(name) is null)
                {
                    return ColumnNames.Unknown(dataset, name, 0);
                }
            }
        }
        var level = classification.For(dataset.Classification).RowsNeed == RowsNeed.Grant ? AccessLevel.Granted : AccessLevel.Open;
        var risk = await MeasureAsync(datasetId, level, tenant, columns, cancellationToken);
        return risk is null
            ? DatasetDirectory.NotPublished(dataset.Id)
            : risk;
    }

    /// <summary>
    /// The risk of the view a grant of <paramref name="columns"/> (all when null) would give <paramref name="tenant"/>; null when the
    /// dataset is gone or has no published version.
    /// </summary>
    public Task<ReidentificationRisk?> ForGrantAsync(string datasetId, string tenant, IReadOnlyList<string>? columns, CancellationToken cancellationToken) =>
        MeasureAsync(datasetId, AccessLevel.Granted, tenant, columns, cancellationToken);

    private async Task<ReidentificationRisk?> MeasureAsync(string datasetId, AccessLevel level, string? tenant, IReadOnlyList<string>? columns,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (dataset, table) = await directory.FindForReadCachedAsync(datasetId, cancellationToken);
            if (dataset is null || table is null)
            {
                return null;
            }
            var view = views.ProposedView(dataset, level, tenant, columns is null ? null : new HashSet<string>(columns, StringComparer.Ordinal));
            try
            {
                return await MeasureAsync(view, table, level, cancellationToken);
            }
            catch (DbException e) when (attempt == 1 && RecordReader.IsMissingTable(e))
            {
                // The cached version was retired by a publish on another node meanwhile: look again.
                directory.Forget(datasetId);
            }
        }
    }

    /// <summary>The k-anonymity of the quasi-identifiers <paramref name="view"/> shows of <paramref name="table"/>.</summary>
    internal async Task<ReidentificationRisk> MeasureAsync(CallerView view, DatasetVersionTable table, AccessLevel level, CancellationToken cancellationToken)
    {
        // A made-up (synthetic) value links to nothing outside the platform, so it singles nobody out.
        var shown = view.Dataset.Columns
            .Where(c => policy.Find(c.Tag) is { QuasiIdentifier: true } && view.VisibilityOf(c) is not (ColumnVisibility.Hidden or ColumnVisibility.Synthetic))
            .ToList();
        var names = shown.Select(c => c.Name).ToList();
        if (shown.Count == 0)
        {
            // Nothing tells rows apart: they form one class of every row.
            var all = table.RowCount;
            return new ReidentificationRisk(all > 0 ? all : null, all is > 0 and < SmallClass ? 1 : 0, names, all, all > 0 ? 1 : 0, table.Version, level);
        }
        var key = $"{table.TableName}\n{level}\n{string.Join("\n", shown.Select(c => $"{c.Position}:{view.RuleOf(c)}"))}";
        var now = clock.GetTimestamp();
        if (_cache.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.Risk;
        }

        // Never the rows are held: the database groups the stored values. When every column is shown as stored, its groups are the
        // classes and are counted as they stream (a clear address can have as many groups as rows); otherwise stored values that
        // look alike once shown (addresses of one district) are added up by shown combination, of which there are few.
        long rows = 0, small = 0, minK = long.MaxValue, count = 0;
        void Add(long size)
        {
            rows += size;
            count++;
            minK = Math.Min(minK, size);
            if (size < SmallClass)
            {
                small += size;
            }
        }
        var groups = reader.CountByAsync(view, table, shown, cancellationToken);
        if (shown.All(c => view.RuleOf(c) is { Transform.Kind: TransformKind.Clear, Scan: false }))
        {
            await foreach (var (_, size) in groups)
            {
                Add(size);
            }
        }
        else
        {
            var classes = new Dictionary<object?[], long>(CellsComparer.Instance);
            await foreach (var (cells, size) in groups)
            {
                classes[cells] = classes.GetValueOrDefault(cells) + size;
            }
            foreach (var size in classes.Values)
            {
                Add(size);
            }
        }
        var risk = new ReidentificationRisk(rows > 0 ? minK : null, rows > 0 ? (double)small / rows : 0, names, rows, count, table.Version, level);
        if (_cache.Count >= CacheEntries)
        {
            _cache.Clear();
        }
        _cache[key] = (risk, now + (long)(CacheTime.TotalSeconds * clock.TimestampFrequency));
        return risk;
    }
}
