using System.Text.Encodings.Web;
using System.Text.Json;
using OpenData.Portal.Browsing;

namespace OpenData.Portal.Guide;

/// <summary>
/// The getting-started guide's commands for this host (its public base URL, as the dataset page's snippets use it): a token by
/// client credentials (the secret is read from the terminal, never printed or put on the command line's history), the first
/// records query on the villages and the same query in GraphQL. A test runs them in bash as the page shows them.
/// </summary>
internal static class GettingStarted
{
    public const string Dataset = QueryExamples.Villages;

    /// <summary>What a visitor who has no app of their own yet puts in <c>CLIENT_ID</c>.</summary>
    public const string ClientIdPlaceholder = "your-client-id";

    /// <summary>The first query: the villages' committees (村委会) of Yinzhou district, five of them.</summary>
    public static readonly IReadOnlyList<(string Name, string Value)> FirstQuery =
        [("select", "code,name"), ("where", "areaCode = '330212' and name like '%村委会'"), ("limit", "5")];

    /// <summary>The first query in GraphQL: the same rows, the same JSON.</summary>
    public const string GraphQLDocument =
        "{ dataset(id: \"ningbo-villages\") { records(select: [\"code\", \"name\"], where: \"areaCode = '330212' and name like '%村委会'\", first: 5) { items next } } }";

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The body GraphQL's command posts.</summary>
    public static string GraphQLBody => JsonSerializer.Serialize(new Dictionary<string, string> { ["query"] = GraphQLDocument }, Relaxed);

    /// <summary>Reads the secret from the terminal, asks the token endpoint and checks the token with <c>/v1/me</c>.</summary>
    public static string TokenCommand(string baseUrl, string clientId) =>
        $"""
        CLIENT_ID={CodeSnippets.Shell(clientId)}
        read -rs CLIENT_SECRET
        TOKEN=$(curl -s {CodeSnippets.Shell(baseUrl + "/connect/token")} -d grant_type=client_credentials \
          --data-urlencode "client_id=$CLIENT_ID" --data-urlencode "client_secret=$CLIENT_SECRET" \
          | grep -o '"access_token": *"[^"]*"' | cut -d'"' -f4)
        curl -s {CodeSnippets.Shell(baseUrl + "/v1/me")} -H "Authorization: Bearer $TOKEN"

        """;

    /// <summary>The first records query with the token, written as the dataset page writes its curl snippet.</summary>
    public static CodeSnippets FirstQuerySnippets(string baseUrl) => CodeSnippets.For(baseUrl, Dataset, FirstQuery, needsToken: true);

    /// <summary>The same query in GraphQL; the body goes through a quoted here-document, so the shell changes nothing in it.</summary>
    public static string GraphQLCommand(string baseUrl) =>
        $"""
        curl -s {CodeSnippets.Shell(baseUrl + "/graphql")} -H 'Content-Type: application/json' \
          -H "Authorization: Bearer $TOKEN" --data-binary @- <<'EOF'
        {GraphQLBody}
        EOF

        """;
}
