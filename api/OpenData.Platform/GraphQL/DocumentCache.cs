using System.Collections.Concurrent;
using GraphQLParser.AST;

namespace OpenData.Platform.GraphQL;

/// <summary>
/// Parsed and validated documents by query text, so a client that repeats its query (the usual case, with variables)
/// skips parsing and the static validation rules. Only documents that passed validation are kept; the rules that depend on
/// the request (complexity with its variables, aliases, GET's queries-only) run every time. At most
/// <see cref="Capacity"/> documents; when full, new ones are not kept.
/// </summary>
internal sealed class DocumentCache
{
    public const int Capacity = 1000;

    private readonly ConcurrentDictionary<string, GraphQLDocument> _documents = new(StringComparer.Ordinal);

    public GraphQLDocument? Find(string query) => _documents.TryGetValue(query, out var document) ? document : null;

    public void Keep(string query, GraphQLDocument document)
    {
        if (_documents.Count < Capacity)
        {
            _documents.TryAdd(query, document);
        }
    }
}
