using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenData.Platform.Hosting;

/// <summary>
/// What a client is told about input the platform could not read: where the reader stopped and what it expected, in
/// the API's words. Never a .NET type or exception name: they say nothing to a client and tell an attacker the stack.
/// </summary>
public static partial class ClientErrorText
{
    /// <summary>Most characters of client-supplied text (a query, a body) that go into a log entry.</summary>
    public const int MaxLoggedChars = 2048;

    /// <summary>A JSON reader's complaint as the client should read it: position, and the expected kind of value.</summary>
    public static string Describe(JsonException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var at = Position(error);
        var message = error.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }
        var conversion = Conversion().Match(message);
        if (conversion.Success)
        {
            return $"the value{at} is not {Expected(conversion.Groups["type"].Value)}";
        }
        var missing = MissingProperties().Match(message);
        if (missing.Success)
        {
            return $"the JSON object{at} lacks required properties: {missing.Groups["names"].Value}";
        }
        return Safe(message) ? $"the body is not well-formed JSON{at}: {char.ToLowerInvariant(message[0])}{message[1..].TrimEnd('.')}" : $"the JSON{at} does not have the shape this route reads (see /docs)";
    }

    /// <summary>True when the text names no .NET type, namespace or exception.</summary>
    public static bool Safe(string text) => !string.IsNullOrEmpty(text) && !TypeName().IsMatch(text);

    /// <summary>Client-supplied text cut to <see cref="MaxLoggedChars"/>, so one request cannot flood the log.</summary>
    public static string Bounded(string? text) =>
        text is null || text.Length <= MaxLoggedChars ? text ?? "" : string.Concat(text.AsSpan(0, MaxLoggedChars), $"… ({text.Length} characters)");

    private static string Position(JsonException error)
    {
        var path = string.IsNullOrEmpty(error.Path) || error.Path == "$" ? "" : $" at {error.Path}";
        return error.LineNumber is { } line ? $"{path} (line {line + 1}, byte {(error.BytePositionInLine ?? 0) + 1})" : path;
    }

    private static string Expected(string type)
    {
        var nullable = NullableOf().Match(type);
        if (nullable.Success)
        {
            type = nullable.Groups["inner"].Value;
        }
        return type switch
        {
            "System.String" or "System.Char" => "a string",
            "System.Int16" or "System.Int32" or "System.Int64" or "System.Byte" or "System.UInt16" or "System.UInt32" or "System.UInt64" => "a whole number",
            "System.Decimal" or "System.Double" or "System.Single" => "a number",
            "System.Boolean" => "true or false",
            "System.DateTimeOffset" or "System.DateTime" => "an ISO 8601 date and time",
            "System.DateOnly" => "a date (yyyy-MM-dd)",
            "System.Guid" => "a UUID",
            _ when type.EndsWith("[]", StringComparison.Ordinal) || type.Contains("List`", StringComparison.Ordinal)
                || type.Contains("Enumerable`", StringComparison.Ordinal) || type.Contains("Collection`", StringComparison.Ordinal) => "an array",
            _ when typeof(ClientErrorText).Assembly.GetType(type) is { IsEnum: true } e =>
                "one of " + string.Join(", ", Enum.GetNames(e).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n))),
            _ => "an object or value of the kind /docs shows here",
        };
    }

    [GeneratedRegex(@"^The JSON value could not be converted to (?<type>\S+?)\.?$")]
    private static partial Regex Conversion();

    [GeneratedRegex(@"missing required properties,? including: (?<names>.+?)\.?$")]
    private static partial Regex MissingProperties();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>[^\]]+)\]$")]
    private static partial Regex NullableOf();

    [GeneratedRegex(@"\b(System|Microsoft|OpenData|GraphQL|Npgsql|Dapper)\.[A-Z]|Exception\b|Nullable<|`1")]
    private static partial Regex TypeName();
}
