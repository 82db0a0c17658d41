using OpenData.Platform.Datasets;

namespace OpenData.Platform.Records;

/// <summary>One page of rows (cells in the order of <see cref="Columns"/>, already desensitised) and the cursor of the next page.</summary>
internal sealed record RecordPage(IReadOnlyList<ColumnDefinition> Columns, IReadOnlyList<object?[]> Rows, string? Next, int Version)
{
    /// <summary>The dataset's classification (the label of the bytes the page's writer counts).</summary>
    public Classification Classification { get; init; }
}
