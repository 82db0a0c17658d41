using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenData.Platform.Common;

/// <summary>How the platform writes and reads JSON everywhere (REST, GraphQL, audit exports).</summary>
internal static class PlatformJson
{
    /// <summary>camelCase, enums as camelCase strings, Chinese text unescaped, no NUL in a string read.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new NulFreeStringConverter());
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    }
}
