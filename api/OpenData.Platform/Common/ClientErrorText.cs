using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenData.Platform.Common;

/// <summary>
/// What a client is told about input the platform could not read: where the reader stopped and what it expected, in
/// the API's words. Never a .NET type or exception name: they say nothing to a client and tell an attacker the stack.
/// </summary>
internal static partial class ClientErrorText
{
    /// <summary>Most characters of client-supplied text (a query, a body) that go into a log entry.</summary>
    public const int MaxLoggedChars = 2048;

    /// <summary>A JSON reader's complaint as the client should read it: position, and the expected kind of value.</summary>
    /// <param name="error">The reader's exception.</param>
    /// <param name="bodyType">The type the body was read as, when known: the value's expected kind is looked up along the
    /// error's path (System.Text.Json names the enclosing record, not the property, when a record has a constructor).</param>
    public static string Describe(JsonException error, Type? bodyType = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var at = Position(error);
        var message = error.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }
        if (message == NulFreeStringConverter.Complaint)
        {
            return $"the value{at} holds a NUL character (\\u0000), which no value of this API holds";
        }
        var conversion = Conversion().Match(message);
        if (conversion.Success)
        {
            var expected = bodyType is not null && TypeAt(bodyType, error.Path) is { } declared
                ? Expected(declared)
                : Expected(conversion.Groups["type"].Value);
            return $"the value{at} is not {expected}";
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

    /// <summary>The declared type at a JSON path such as <c>$.limits.rows</c> or <c>$.columns[0].name</c>, or null.</summary>
    private static Type? TypeAt(Type root, string? path)
    {
        if (string.IsNullOrEmpty(path) || !path.StartsWith('$'))
        {
            return null;
        }
        var type = root;
        foreach (var segment in PathSegment().Matches(path[1..]).Select(m => m.Value))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (segment.StartsWith('['))
            {
                type = type.IsArray ? type.GetElementType()
                    : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
            }
            else
            {
                var name = segment[1..];
                var dictionary = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
                type = dictionary is not null
                    ? dictionary.GetGenericArguments()[1]
                    : type.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)?.PropertyType;
            }
            if (type is null)
            {
                return null;
            }
        }
        return type;
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(char))
        {
            return "a string";
        }
        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)));
        }
        if (type.IsArray || (type != typeof(string) && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            && !type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))))
        {
            return "an array";
        }
        var named = Expected(type.FullName ?? "");
        return named.StartsWith("an object or value", StringComparison.Ordinal) && type.IsClass ? "an object" : named;
    }

    [GeneratedRegex(@"\.[^.\[]+|\[[^\]]*\]")]
    private static partial Regex PathSegment();

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
