using Dapper;

namespace OpenData.Platform.Storage;

/// <summary>
/// <c>IN (@p0, @p1, …)</c> with one parameter per value: Dapper's list expansion works on SQLite but not through Npgsql,
/// so lists are spelt out the same way on both stores.
/// </summary>
internal static class SqlList
{
    public static string In<T>(DynamicParameters parameters, string prefix, IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(values);
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = prefix + names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameters.Add(name, value);
            names.Add("@" + name);
        }
        return "(" + string.Join(", ", names) + ")";
    }
}
