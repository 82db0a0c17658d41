// TEMPORARY: replaced by the twin generator branch at merge.
using OpenData.Platform.Datasets;

namespace OpenData.Sandbox.Twins;

internal sealed record TwinSettings(int MinCategoryCount = 10, long MaxRows = 1_000_000);

internal sealed class TwinProfiler(IReadOnlyList<ColumnDefinition> columns, TwinSettings settings)
{
    private long _rows;

    public void Observe(object?[] cells) => _rows++;

    public TwinProfile Complete() => new(columns, settings, _rows);
}

internal sealed class TwinProfile(IReadOnlyList<ColumnDefinition> columns, TwinSettings settings, long rows)
{
    public long Rows => rows;

    public IReadOnlyList<ColumnDefinition> Columns => columns;

    public TwinSettings Settings => settings;
}

internal sealed class TwinGenerator(TwinProfile profile, long seed)
{
    public long RowCount => Math.Min(profile.Rows, profile.Settings.MaxRows);

    public IEnumerable<object?[]> Rows()
    {
        var random = new Random((int)seed);
        for (long i = 0; i < RowCount; i++)
        {
            yield return profile.Columns.Select(c => (object?)(c.Type switch
            {
                ColumnType.Integer => (long)random.Next(100),
                ColumnType.Decimal => (decimal)random.Next(100),
                ColumnType.Boolean => random.Next(2) == 0,
                ColumnType.Date => new DateOnly(2000, 1, 1).AddDays(random.Next(9000)),
                ColumnType.Datetime => new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(random.Next(9000)),
                _ => "stub-" + random.Next(1_000_000),
            })).ToArray();
        }
    }
}

internal sealed class TwinAssessor(TwinProfile profile)
{
    private long _seen;

    public void Observe(object?[] twinCells) => _seen++;

    public TwinReport Complete() => new(_seen > 0 || profile.Rows == 0, [], profile.Rows);
}

internal sealed record TwinReport(bool Passed, IReadOnlyList<string> Failures, long RealRows);
