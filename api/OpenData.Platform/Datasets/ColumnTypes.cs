using System.Diagnostics.CodeAnalysis;

namespace OpenData.Platform.Datasets;

/// <summary>The wire names of <see cref="ColumnType"/> (<c>string</c>, <c>integer</c>, …).</summary>
internal static class ColumnTypes
{
    public static readonly IReadOnlyList<string> Names = ["string", "integer", "decimal", "boolean", "date", "datetime"];

    public static string Name(ColumnType type) => Names[(int)type];

    public static bool TryParse(string? name, [NotNullWhen(true)] out ColumnType? type)
    {
        var index = name is null ? -1 : Names.ToList().IndexOf(name.ToLowerInvariant());
        type = index < 0 ? null : (ColumnType)index;
        return type is not null;
    }
}
