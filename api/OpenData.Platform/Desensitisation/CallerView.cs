using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation.Transforms;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// One caller's view of one dataset: whether rows may be read, and how each column leaves (visibility, transform, outbound check).
/// The read path, the catalogue, exports and GraphQL all take it from <see cref="ICallerViewResolver"/>.
/// </summary>
internal sealed class CallerView
{
    private readonly ColumnRule[] _rules;
    private readonly Func<ColumnRule, Pseudonymiser>? _pseudonymiser;
    private readonly Synthesis? _synthesis;

    // The pseudonymiser factory is given a pseudonymised column's rule: its key scope (dataset or linkage domain) and capacity.
    public CallerView(DatasetSchema dataset, DatasetAccess access, ColumnRule[] rules, Func<ColumnRule, Pseudonymiser>? pseudonymiser = null, Synthesis? synthesis = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Length != dataset.Columns.Count)
        {
            throw new ArgumentException("one rule per column", nameof(rules));
        }
        Dataset = dataset;
        Access = access;
        _rules = rules;
        _pseudonymiser = pseudonymiser;
        _synthesis = synthesis;
    }

    /// <summary>A view with plain visibilities and no transforms (clear columns are not scanned).</summary>
    public CallerView(DatasetSchema dataset, DatasetAccess access, ColumnVisibility[] visibility)
        : this(dataset, access, (visibility ?? throw new ArgumentNullException(nameof(visibility)))
            .Select(v => v == ColumnVisibility.Clear ? ColumnRule.ClearByRight : ColumnRule.Hidden).ToArray())
    {
    }

    public DatasetSchema Dataset { get; }

    public DatasetAccess Access { get; }

    /// <summary>Rows may be read only with open or granted access.</summary>
    public bool CanReadRows => Access is DatasetAccess.Open or DatasetAccess.Granted;

    public ColumnVisibility VisibilityOf(ColumnDefinition column) => RuleOf(column).Visibility;

    public ColumnRule RuleOf(ColumnDefinition column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return _rules[column.Position];
    }

    /// <summary>The columns the caller gets by default, in declared order.</summary>
    public IReadOnlyList<ColumnDefinition> VisibleColumns =>
        Dataset.Columns.Where(c => _rules[c.Position].Visibility != ColumnVisibility.Hidden).ToList();

    /// <summary>
    /// Only columns seen in clear, and not suspected of holding values the outbound check would mask, may be filtered or sorted on,
    /// so nobody infers a hidden value through a filter (<c>like '138%'</c>, ranges, digit by digit). Whoever sees the column in
    /// clear by right (the owner) is not held back by a suspicion. A sandbox caller filters a synthetic column freely: it reads the
    /// twin, whose values are made up, so a filter learns nothing real.
    /// </summary>
    public bool CanFilterOn(ColumnDefinition column)
    {
        var rule = RuleOf(column);
        return rule.Visibility switch
        {
            ColumnVisibility.Clear => !(rule.Scan && column.Suspected is not null),
            ColumnVisibility.Synthetic => rule.Transform.Kind == TransformKind.Clear,
            _ => false,
        };
    }

    /// <summary>Why a column cannot be filtered or sorted on, in words for a problem's detail ("masked", "suspected of holding personal values").</summary>
    public string WhyNotFilterable(ColumnDefinition column)
    {
        var visibility = VisibilityOf(column);
        return visibility == ColumnVisibility.Clear
            ? "suspected of holding personal values (its owner has not tagged it yet)"
            : visibility.ToString().ToLowerInvariant() + " for this caller";
    }

    /// <summary>
    /// The value behind a pseudonym token issued to this caller for <paramref name="column"/>: made with the key the column
    /// uses in this view (this tenant and dataset, or a linkage domain the grant approves) and the column's capacity. A token
    /// from another dataset, tenant or column scope is refused.
    /// </summary>
    public TokenReveal Reveal(ColumnDefinition column, string token, out string value)
    {
        ArgumentNullException.ThrowIfNull(token);
        value = "";
        var rule = RuleOf(column);
        if (_pseudonymiser is null || rule.Transform.Kind != TransformKind.Pseudonymise)
        {
            return TokenReveal.Refused;
        }
        using var pseudonymiser = _pseudonymiser(rule);
        return pseudonymiser.Reveal(token, out value);
    }

    /// <summary>The per-row pipeline for a selection of columns; null when every selected column leaves as stored, unscanned.</summary>
    public RowPipeline? PipelineFor(IReadOnlyList<ColumnDefinition> selected)
    {
        ArgumentNullException.ThrowIfNull(selected);
        var rules = selected.Select(RuleOf).ToArray();
        if (rules.All(r => r.Transform.Kind == TransformKind.Clear && !r.Scan))
        {
            return null;
        }
        return new RowPipeline(selected, rules, _pseudonymiser, _synthesis);
    }
}
