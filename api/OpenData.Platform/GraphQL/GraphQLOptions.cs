using System.ComponentModel.DataAnnotations;

namespace OpenData.Platform.GraphQL;

/// <summary>Limits of <c>/graphql</c> (section <c>OpenData:GraphQL</c>); a document over any of them is refused before it runs.</summary>
internal sealed class GraphQLOptions
{
    public const string Section = "OpenData:GraphQL";

    /// <summary>
    /// Deepest nesting of fields, counting the leaf (<c>dataset { records { items } }</c> is 3). The schema has no cycles, so only
    /// introspection goes deep: 15 admits the usual introspection query of GraphQL tools (its type references nest 9 levels).
    /// </summary>
    [Range(2, 64)]
    public int MaxDepth { get; set; } = 15;

    /// <summary>
    /// Most work one document may ask for: each field costs 1, times the page sizes above it (<c>first</c> of
    /// <c>datasets</c> and <c>records</c>), so <c>records(first: 1000)</c> alone costs about 1000.
    /// </summary>
    [Range(10, 1_000_000)]
    public int MaxComplexity { get; set; } = 5000;

    /// <summary>Most aliased fields in one document (aliases are how one query asks for the same field many times).</summary>
    [Range(0, 1000)]
    public int MaxAliases { get; set; } = 30;

    /// <summary>Longest query text, in characters.</summary>
    [Range(100, 1_000_000)]
    public int MaxDocumentLength { get; set; } = 16 * 1024;

    /// <summary>Largest POST body (query, variables, extensions), in bytes.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 64 * 1024;
}
