using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OpenData.Portal.Browsing;

/// <summary>
/// The same read of a dataset's records in curl, Python, JavaScript and C#. Values come from the data (a cell picked as a
/// filter), so each language quotes them by its own rules: single quotes for the shell (a <c>$(…)</c> in a cell stays text),
/// JSON string literals for the others.
/// </summary>
internal sealed record CodeSnippets(string Url, string Curl, string Python, string JavaScript, string CSharp)
{
    private static readonly JsonSerializerOptions Literal = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static CodeSnippets For(string baseUrl, string datasetId, IReadOnlyList<(string Name, string Value)> query, bool needsToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var url = $"{baseUrl}/v1/datasets/{Uri.EscapeDataString(datasetId)}/records";
        var address = url + (query.Count == 0 ? "" : "?" + string.Join("&", query.Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value))));
        return new CodeSnippets(address, CurlText(url, query, needsToken), PythonText(url, query, needsToken), JavaScriptText(url, query, needsToken), CSharpText(url, query, needsToken));
    }

    private static string CurlText(string url, IReadOnlyList<(string Name, string Value)> query, bool needsToken)
    {
        var text = new StringBuilder();
        if (needsToken)
        {
            text.Append("# TOKEN: an access token of your app (POST /connect/token, grant_type=client_credentials)\n");
        }
        text.Append("curl -s -G ").Append(Shell(url));
        if (needsToken)
        {
            text.Append(" \\\n  -H \"Authorization: Bearer $TOKEN\"");
        }
        foreach (var (name, value) in query)
        {
            text.Append(" \\\n  --data-urlencode ").Append(Shell(name + "=" + value));
        }
        return text.Append('\n').ToString();
    }

    private static string PythonText(string url, IReadOnlyList<(string Name, string Value)> query, bool needsToken)
    {
        var text = new StringBuilder("import requests\n\n");
        if (needsToken)
        {
            text.Append("token = \"…\"  # an access token of your app (POST /connect/token)\n");
        }
        text.Append("response = requests.get(\n    ").Append(Json(url)).Append(",\n    params={");
        text.Append(string.Join(", ", query.Select(p => Json(p.Name) + ": " + Json(p.Value)))).Append("},\n");
        if (needsToken)
        {
            text.Append("    headers={\"Authorization\": f\"Bearer {token}\"},\n");
        }
        text.Append(")\nresponse.raise_for_status()\nfor row in response.json()[\"items\"]:\n    print(row)\n");
        return text.ToString();
    }

    private static string JavaScriptText(string url, IReadOnlyList<(string Name, string Value)> query, bool needsToken)
    {
        var text = new StringBuilder();
        if (needsToken)
        {
            text.Append("const token = \"…\"; // an access token of your app (POST /connect/token)\n");
        }
        text.Append("const params = new URLSearchParams({ ");
        text.Append(string.Join(", ", query.Select(p => Json(p.Name) + ": " + Json(p.Value)))).Append(" });\n");
        text.Append("const response = await fetch(").Append(Json(url)).Append(" + \"?\" + params");
        text.Append(needsToken ? ", {\n  headers: { Authorization: `Bearer ${token}` },\n});\n" : ");\n");
        text.Append("const page = await response.json();\nconsole.log(page.items, page.next);\n");
        return text.ToString();
    }

    private static string CSharpText(string url, IReadOnlyList<(string Name, string Value)> query, bool needsToken)
    {
        var text = new StringBuilder("using System.Net.Http.Json;\nusing System.Text.Json;\n\nusing var http = new HttpClient();\n");
        if (needsToken)
        {
            text.Append("var token = \"…\"; // an access token of your app (POST /connect/token)\n");
            text.Append("http.DefaultRequestHeaders.Authorization = new(\"Bearer\", token);\n");
        }
        text.Append("var query = string.Join(\"&\", new[]\n{\n");
        foreach (var (name, value) in query)
        {
            text.Append("    ").Append(Json(name + "=")).Append(" + Uri.EscapeDataString(").Append(Json(value)).Append("),\n");
        }
        text.Append("});\nvar page = await http.GetFromJsonAsync<JsonElement>(").Append(Json(url)).Append(" + \"?\" + query);\n");
        text.Append("Console.WriteLine(page.GetProperty(\"items\"));\n");
        return text.ToString();
    }

    private static string Json(string value) => JsonSerializer.Serialize(value, Literal);

    /// <summary>
    /// A POSIX shell word. Single quotes keep everything literal; a value holding a single quote (a query's string literal) goes
    /// in double quotes when nothing in it means anything to the shell there, else each quote becomes '\''.
    /// </summary>
    internal static string Shell(string value) =>
        !value.Contains('\'', StringComparison.Ordinal) ? "'" + value + "'"
        : value.IndexOfAny(['"', '$', '`', '\\', '!']) < 0 ? "\"" + value + "\""
        : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
