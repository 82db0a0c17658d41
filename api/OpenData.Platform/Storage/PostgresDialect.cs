using System.Data.Common;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Storage;

/// <summary>PostgreSQL: native types; text search with ILIKE.</summary>
internal sealed class PostgresDialect : SqlDialect
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override string ColumnType(ColumnType type) => type switch
    {
        Datasets.ColumnType.String => "text",
        Datasets.ColumnType.Integer => "bigint",
        Datasets.ColumnType.Decimal => "numeric",
        Datasets.ColumnType.Boolean => "boolean",
        Datasets.ColumnType.Date => "date",
        Datasets.ColumnType.Datetime => "timestamptz",
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
        long l when type == Datasets.ColumnType.Decimal => (decimal)l,
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
            Datasets.ColumnType.Decimal => reader.GetDecimal(ordinal),
            Datasets.ColumnType.Boolean => reader.GetBoolean(ordinal),
            Datasets.ColumnType.Date => reader.GetFieldValue<DateOnly>(ordinal),
            Datasets.ColumnType.Datetime => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }
}
