using System.Data.Common;
using System.Globalization;
using System.Text;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Storage;

/// <summary>SQLite: dates and datetimes are ISO text (sortable), booleans 0/1, decimals REAL.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public const string DatetimeStorageFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string ColumnType(ColumnType type) => type switch
    {
        Datasets.ColumnType.Integer or Datasets.ColumnType.Boolean => "INTEGER",
        Datasets.ColumnType.Decimal => "REAL",
        _ => "TEXT",
    };

    public override string ContainsIgnoreCase(string expression, string parameter) =>
        $"{expression} LIKE {parameter} ESCAPE '\\'";

    // SQLite's LIKE ignores ASCII case; GLOB is case-sensitive like PostgreSQL's LIKE.
    public override string Like(string expression, string parameter, string pattern, out object boundValue)
    {
        var glob = new StringBuilder(pattern.Length + 4);
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            if (ch == '\\' && i + 1 < pattern.Length)
            {
                AppendGlobLiteral(glob, pattern[++i]);
            }
            else if (ch == '%')
            {
                glob.Append('*');
            }
            else if (ch == '_')
            {
                glob.Append('?');
            }
            else
            {
                AppendGlobLiteral(glob, ch);
            }
        }
        boundValue = glob.ToString();
        return $"{expression} GLOB {parameter}";
    }

    private static void AppendGlobLiteral(StringBuilder glob, char ch)
    {
        if (ch is '*' or '?' or '[')
        {
            glob.Append('[').Append(ch).Append(']');
        }
        else
        {
            glob.Append(ch);
        }
    }

    public override object ToParameter(ColumnType type, object value) => value switch
    {
        bool b => b ? 1L : 0L,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToUniversalTime().ToString(DatetimeStorageFormat, CultureInfo.InvariantCulture),
        decimal m when type == Datasets.ColumnType.Decimal => (double)m,
        _ => value,
    };

    public override object? ReadCell(DbDataReader reader, int ordinal, ColumnType type)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }
        return type switch
        {
            Datasets.ColumnType.String => reader.GetString(ordinal),
            Datasets.ColumnType.Integer => reader.GetInt64(ordinal),
            Datasets.ColumnType.Decimal => reader.GetDouble(ordinal),
            Datasets.ColumnType.Boolean => reader.GetInt64(ordinal) != 0,
            Datasets.ColumnType.Date => DateOnly.ParseExact(reader.GetString(ordinal), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Datasets.ColumnType.Datetime => DateTime.ParseExact(reader.GetString(ordinal), DatetimeStorageFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }
}
