using System.Security.Claims;
using OpenData.Platform.Catalogue;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// The view until desensitisation policies (issue 4) and grants (issue 6) arrive: open datasets are read in clear,
/// restricted and sensitive ones are requestable and show no rows.
/// </summary>
internal sealed class ClassificationViewResolver : ICallerViewResolver
{
    public ValueTask<CallerView> ResolveAsync(ClaimsPrincipal caller, DatasetSchema dataset, CancellationToken cancellationToken)
    {
        var open = dataset.Classification == Classification.Open;
        var visibility = new ColumnVisibility[dataset.Columns.Count];
        Array.Fill(visibility, open ? ColumnVisibility.Clear : ColumnVisibility.Hidden);
        return ValueTask.FromResult(new CallerView(dataset, open ? DatasetAccess.Open : DatasetAccess.Requestable, visibility));
    }
}
