using GraphQL.Validation.Complexity;

namespace OpenData.Platform.GraphQL;

/// <summary>The complexity of a paged field: 1 for the field, times the page size for what lies under it.</summary>
internal static class PageComplexity
{
    /// <summary>The page size a field asks for (<c>first</c>, clamped to 1..max), or its default when the argument is absent or not yet known.</summary>
    public static FieldComplexityResult Of(FieldImpactContext impact, int fallback, int max)
    {
        var size = impact.Arguments is { } arguments && arguments.TryGetValue("first", out var first) && first.Value is int asked ? asked : fallback;
        return new FieldComplexityResult(1, Math.Clamp(size, 1, max));
    }
}
