using OpenData.Platform.Common;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Records;

/// <summary>Helps a caller who named a column that does not exist: lists the columns and suggests the nearest one.</summary>
internal static class ColumnNames
{
    public static Refusal Unknown(DatasetSchema dataset, string name, int position)
    {
        var nearest = dataset.Columns
            .Select(c => (c.Name, Distance: Distance(c.Name.ToLowerInvariant(), name.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(2, name.Length / 3))
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
        var hint = nearest is null ? "" : $" did you mean '{nearest}'?";
        var at = position > 0 ? $" (at {position})" : "";
        return Refusal.BadRequest(RecordsErrors.UnknownColumn,
            $"unknown column '{name}'{at};{hint} columns of '{dataset.Id}': {string.Join(", ", dataset.Columns.Select(c => c.Name))}", position > 0 ? position : null);
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
