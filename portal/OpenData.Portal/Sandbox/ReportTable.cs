using System.Text.Json;

namespace OpenData.Portal.Sandbox;

/// <summary>An array of objects of the report as a table: the fields in the order first seen, one row per object.</summary>
internal sealed record ReportTable(string Name, IReadOnlyList<string> Fields, IReadOnlyList<IReadOnlyDictionary<string, JsonElement>> Rows)
{
    /// <summary>The table of an array of objects (an empty array is an empty table); null for anything else.</summary>
    public static ReportTable? Of(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.Object))
        {
            return null;
        }
        var fields = new List<string>();
        var rows = new List<IReadOnlyDictionary<string, JsonElement>>();
        foreach (var item in value.EnumerateArray())
        {
            var row = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in item.EnumerateObject())
            {
                if (!fields.Contains(property.Name))
                {
                    fields.Add(property.Name);
                }
                row[property.Name] = property.Value;
            }
            rows.Add(row);
        }
        return new ReportTable(name, fields, rows);
    }
}
