using System.Data.Common;
using System.Text;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Storage;

/// <summary>What differs between the SQL engines: identifier quoting, column types, text matching.</summary>
internal abstract class SqlDialect
{
    public abstract DatabaseProvider Provider { get; }

    public virtual string Quote(string identifier)
    {
        if (identifier.Contains('"', StringComparison.Ordinal) || identifier.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"identifier '{identifier}' cannot be quoted safely", nameof(identifier));
        }
        return $"\"{identifier}\"";
    }

    /// <summary>The SQL type that stores values of a dataset column type.</summary>
    public abstract string ColumnType(ColumnType type);

    /// <summary>Case-insensitive substring test; <paramref name="parameter"/> holds an escaped pattern <c>%…%</c> with <c>\</c> as escape.</summary>
    public abstract string ContainsIgnoreCase(string expression, string parameter);

    /// <summary>A case-sensitive LIKE with <c>%</c>, <c>_</c> and <c>\</c> escapes, the same on every engine.</summary>
    public abstract string Like(string expression, string parameter, string pattern, out object boundValue);

    /// <summary>Converts a value of a column type to what the driver binds for it.</summary>
    public abstract object ToParameter(ColumnType type, object value);

    /// <summary>Reads a typed cell as the platform's CLR value (long, decimal/double, bool, string, DateOnly, DateTime UTC).</summary>
    public abstract object? ReadCell(DbDataReader reader, int ordinal, ColumnType type);

    public static string EscapeLike(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            if (ch is '%' or '_' or '\\')
            {
                sb.Append('\\');
            }
            sb.Append(ch);
        }
        return sb.ToString();
    }
}
