using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Ingestion;

/// <summary>
/// Everything a reader sees of a dataset: the version and row count of <c>GET /v1/datasets/{id}</c>, its list of
/// versions, the version the records route serves and every row it returns. Two snapshots are equal when nothing visible changed.
/// </summary>
internal sealed record DatasetSnapshot(int? Version, long RowCount, string Versions, string? ServedVersion, int RowsServed, string Rows)
{
    public static async Task<DatasetSnapshot> TakeAsync(HttpClient reader, string datasetId)
    {
        var detail = await PlatformHost.ReadJsonAsync(await reader.GetAsync($"/v1/datasets/{datasetId}"));
        var version = detail["version"]?.GetValue<int>();
        var rowCount = detail["rowCount"]!.GetValue<long>();
        var versions = detail["versions"]!.ToJsonString();
        if (version is null)
        {
            return new DatasetSnapshot(null, rowCount, versions, null, 0, "");
        }
        var (served, rows) = await ReadAllRowsAsync(reader, datasetId);
        return new DatasetSnapshot(version, rowCount, versions, served, rows.Count, rows.ToJsonString());
    }

    /// <summary>Walks the records route page by page (1,000 rows a page) and returns the served version and every row.</summary>
    public static async Task<(string? Version, JsonArray Rows)> ReadAllRowsAsync(HttpClient reader, string datasetId)
    {
        var rows = new JsonArray();
        string? cursor = null;
        string? served = null;
        do
        {
            var url = $"/v1/datasets/{datasetId}/records?limit=1000" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var response = await reader.GetAsync(url);
            var page = await PlatformHost.ReadJsonAsync(response);
            served = response.Headers.TryGetValues("X-Dataset-Version", out var values) ? values.Single() : null;
            foreach (var item in page["items"]!.AsArray())
            {
                rows.Add(item!.DeepClone());
            }
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);
        return (served, rows);
    }
}
