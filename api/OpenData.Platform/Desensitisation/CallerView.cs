using OpenData.Platform.Catalogue;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// One caller's view of one dataset: whether rows may be read, and how each column shows.
/// The read path, the catalogue and (later) GraphQL and exports all take it from <see cref="ICallerViewResolver"/>.
/// </summary>
public sealed class CallerView
{
    private readonly ColumnVisibility[] _visibility;

    public CallerView(DatasetSchema dataset, DatasetAccess access, ColumnVisibility[] visibility, IRowTransformFactory? transforms = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(visibility);
        if (visibility.Length != dataset.Columns.Count)
        {
            throw new ArgumentException("one visibility per column", nameof(visibility));
        }
        Dataset = dataset;
        Access = access;
        _visibility = visibility;
        Transforms = transforms;
    }

    public DatasetSchema Dataset { get; }

    public DatasetAccess Access { get; }

    /// <summary>Rows may be read only with open or granted access.</summary>
    public bool CanReadRows => Access is DatasetAccess.Open or DatasetAccess.Granted;

    /// <summary>Builds the per-row transform for a selection of columns; null when every selected column is clear.</summary>
    public IRowTransformFactory? Transforms { get; }

    public ColumnVisibility VisibilityOf(ColumnDefinition column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return _visibility[column.Position];
    }

    /// <summary>The columns the caller gets by default, in declared order.</summary>
    public IReadOnlyList<ColumnDefinition> VisibleColumns =>
        Dataset.Columns.Where(c => _visibility[c.Position] != ColumnVisibility.Hidden).ToList();

    /// <summary>Only columns seen in clear may be filtered or sorted on, so nobody infers a hidden value through a filter.</summary>
    public bool CanFilterOn(ColumnDefinition column) => VisibilityOf(column) == ColumnVisibility.Clear;
}
