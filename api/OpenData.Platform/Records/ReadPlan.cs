using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Records.Query;

namespace OpenData.Platform.Records;

/// <summary>A checked read: which table, which columns, filter, order, page size and where to resume.</summary>
internal sealed class ReadPlan
{
    public required DatasetSchema Dataset { get; init; }
    public required CallerView View { get; init; }
    public required DatasetVersionTable Table { get; init; }
    public required IReadOnlyList<ColumnDefinition> Selected { get; init; }
    public required IReadOnlyList<OrderKey> Order { get; init; }
    public Expr? Filter { get; init; }

    /// <summary>Rows per page; null for a whole export.</summary>
    public int? Limit { get; init; }

    /// <summary>The sort-key values and row number of the last row already returned.</summary>
    public RecordCursor? After { get; init; }

    /// <summary>Binds a cursor to the filter and order it was issued for.</summary>
    public required byte[] QueryHash { get; init; }

    /// <summary>What the page's cursor is sealed to: the dataset, the caller and the caller's view.</summary>
    public required byte[] CursorContext { get; init; }

    /// <summary>The view's transforms and outbound check for the selected columns; null when every cell leaves as stored.</summary>
    public RowPipeline? Pipeline { get; init; }

    internal string Sql { get; init; } = "";

    internal Dapper.DynamicParameters Parameters { get; init; } = new();
}
