using System.Data.Common;

namespace OpenData.Platform.Storage;

/// <summary>PostgreSQL: native types; text search with ILIKE.</summary>
public sealed class PostgresDialect : SqlDialect
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override string ColumnType(ColumnType type) => type switch
    {
        Storage.ColumnType.String => "text",
        Storage.ColumnType.Integer => "bigint",
        Storage.ColumnType.Decimal => "numeric",
        Storage.ColumnType.Boolean => "boolean",
        Storage.ColumnType.Date => "date",
        Storage.ColumnType.Datetime => "timestamptz",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public override string ContainsIgnoreCase(string expression, string parameter) =>
        $"{expression} ILIKE {parameter} ESCAPE '\\'";

    public override string Like(string expression, string parameter, string pattern, out object boundValue)
    {
        boundValue = pattern;
        return $"{expression} LIKE {parameter} ESCAPE '\\'";
    }

    public override object ToParameter(ColumnType type, object value) => value switch
    {
        DateTime t => t.ToUniversalTime(),
        long l when type == Storage.ColumnType.Decimal => (decimal)l,
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
            Storage.ColumnType.String => reader.GetString(ordinal),
            Storage.ColumnType.Integer => reader.GetInt64(ordinal),
            Storage.ColumnType.Decimal => reader.GetDecimal(ordinal),
            Storage.ColumnType.Boolean => reader.GetBoolean(ordinal),
            Storage.ColumnType.Date => reader.GetFieldValue<DateOnly>(ordinal),
            Storage.ColumnType.Datetime => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }
}
