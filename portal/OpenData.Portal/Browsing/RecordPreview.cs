using OpenData.Platform.Common;
using OpenData.Platform.Datasets;

namespace OpenData.Portal.Browsing;

/// <summary>
/// One page of a dataset's rows as the caller's view shows them (cells already desensitised by the read path), or why there
/// are none. <see cref="From"/> is the 0-based position of the first row, for "rows 51–100 of 3,042".
/// </summary>
internal sealed record RecordPreview(
    string DatasetId,
    IReadOnlyList<ColumnDefinition> Columns,
    IReadOnlyList<string?[]> Rows,
    long From,
    long Total,
    string? Next,
    Refusal? Refusal,
    bool Synthetic = false)
{
    public const int PageSize = 50;

    /// <summary>The address of the following page (the cursor keeps the position; <c>from</c> only numbers the rows).</summary>
    public string? NextLink(string handler) => Next is null
        ? null
        : $"/datasets/{Uri.EscapeDataString(DatasetId)}?{(handler.Length == 0 ? "" : "handler=" + handler + "&")}cursor={Uri.EscapeDataString(Next)}&from={From + Rows.Count}";
}
