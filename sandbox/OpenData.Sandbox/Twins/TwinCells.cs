using System.Globalization;
using OpenData.Platform.Datasets;

namespace OpenData.Sandbox.Twins;

/// <summary>
/// Cells as the stores hand them over (Decimal as double from SQLite or decimal from PostgreSQL) turned into numbers and keys, and
/// numbers turned back into the CLR types a twin row holds.
/// </summary>
internal static class TwinCells
{
    /// <summary>The key of NULL (and of an empty string) in row hashes and distance samples.</summary>
    public const ulong NullKey = 0x7FF8_DEAD_BEEF_0001UL;

    public static double ToNumber(object cell, ColumnType type) => cell switch
    {
        long l => l,
        int i => i,
        double d => d,
        decimal m => (double)m,
        float f => f,
        DateOnly date => type == ColumnType.Datetime ? date.ToDateTime(TimeOnly.MinValue).Ticks : date.DayNumber,
        DateTime t => type == ColumnType.Date ? DateOnly.FromDateTime(t).DayNumber : t.Ticks,
        DateTimeOffset o => type == ColumnType.Date ? DateOnly.FromDateTime(o.UtcDateTime).DayNumber : o.UtcTicks,
        bool b => b ? 1 : 0,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
        _ => Convert.ToDouble(cell, CultureInfo.InvariantCulture),
    };

    /// <summary>Decimal places a value is written with (at most 6).</summary>
    public static int ScaleOf(object cell)
    {
        switch (cell)
        {
            case decimal m:
                return Math.Min(6, (int)(m / 1.000000000000000000000000000000000m).Scale);
            case double d:
                var scaled = d;
                for (var s = 0; s <= 6; s++, scaled *= 10)
                {
                    if (Math.Abs(scaled - Math.Round(scaled)) <= 1e-9 * Math.Max(1, Math.Abs(scaled)))
                    {
                        return s;
                    }
                }
                return 6;
            default:
                return 0;
        }
    }

    /// <summary>The twin cell for a number drawn for <paramref name="column"/>.</summary>
    public static object FromNumber(double value, ColumnProfile column) => column.Type switch
    {
        ColumnType.Integer => (long)Math.Round(value),
        ColumnType.Decimal => Math.Round((decimal)value, column.Scale, MidpointRounding.AwayFromZero),
        ColumnType.Date => DateOnly.FromDayNumber((int)Math.Round(value)),
        ColumnType.Datetime => new DateTime((long)(Math.Round(value / TimeSpan.TicksPerSecond) * TimeSpan.TicksPerSecond), DateTimeKind.Utc),
        _ => DateOnly.FromDayNumber((int)Math.Round(value)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    /// <summary>A cell's key: the hash of a string, the bits of a number, 1 or 2 for a boolean, <see cref="NullKey"/> for NULL.</summary>
    public static ulong Key(object? cell, ColumnType type) => cell switch
    {
        null => NullKey,
        string { Length: 0 } => NullKey,
        string s when type == ColumnType.String => ValueHash.Of(s),
        bool b => b ? 2UL : 1UL,
        _ when type == ColumnType.String => ValueHash.Of(Convert.ToString(cell, CultureInfo.InvariantCulture) ?? ""),
        _ when type == ColumnType.Boolean => ToNumber(cell, type) != 0 ? 2UL : 1UL,
        _ => BitConverter.DoubleToUInt64Bits(ToNumber(cell, type) + 0.0),
    };
}
