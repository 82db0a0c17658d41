using System.Text.RegularExpressions;

namespace OpenData.Platform.Datasets;

/// <summary>The shape of a column tag: dotted lower-case words such as <c>pii.phone</c> or <c>geo.point</c>, at most 64 characters.</summary>
internal static partial class ColumnTags
{
    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")]
    private static partial Regex Tag();

    public static bool IsShape(string tag) => tag.Length <= 64 && Tag().IsMatch(tag);
}
