using Dapper;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;

namespace OpenData.Platform.Records;

/// <summary>
/// The rows a measurement may count: the version's table (a sandbox caller's twin), the caller's view and the compiled
/// <c>where</c> (null: every row) with its parameters; <paramref name="CanonicalWhere"/> is the filter as the query language prints it.
/// </summary>
internal sealed record FilteredTable(DatasetSchema Dataset, CallerView View, DatasetVersionTable Table, string? Condition, DynamicParameters Parameters, string CanonicalWhere)
{
    /// <summary>Whether the caller may not read the rows and measures through the owner's measurement view: answers must be disclosure-controlled.</summary>
    public bool Controlled { get; init; }
}
