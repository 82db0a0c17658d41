using System.Data;
using System.Globalization;
using Dapper;

namespace OpenData.Platform.Storage;

/// <summary>Stores instants in UTC on both engines (TEXT on SQLite, timestamptz on PostgreSQL) and reads them back as UTC.</summary>
internal sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
    {
        // On SQLite a fixed-width ISO text keeps instants sortable as strings.
        parameter.Value = parameter is Microsoft.Data.Sqlite.SqliteParameter
            ? value.UtcDateTime.ToString(SqliteDialect.DatetimeStorageFormat, CultureInfo.InvariantCulture)
            : value.ToUniversalTime();
    }

    public override DateTimeOffset Parse(object value) => value switch
    {
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        DateTimeOffset dto => dto.ToUniversalTime(),
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime(),
        _ => throw new DataException($"cannot read {value.GetType().Name} as a timestamp"),
    };

    public static void Register()
    {
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }
}
