using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenData.Platform.Audit;

/// <summary>
/// One audit event, before it joins the chain: what happened (<see cref="Type"/>), who did it, on which dataset (and whose it
/// is), whom it concerns, and details that never hold personal values.
/// </summary>
internal sealed record AuditEvent(string Type, string? ActorTenant, string? ActorApp, string? DatasetId, string? OwnerId, string? Subject, IReadOnlyDictionary<string, object?> Details);

/// <summary>Builds an <see cref="AuditEvent"/>'s details (names and values; never personal values).</summary>
internal static class AuditDetails
{
    /// <summary>The pairs as a dictionary for <see cref="AuditEvent.Details"/>.</summary>
    public static Dictionary<string, object?> Of(params (string Key, object? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);
}

/// <summary>An entry of the chain as stored.</summary>
internal sealed class AuditRow
{
    public long Seq { get; set; }
    public DateTimeOffset At { get; set; }
    public string Type { get; set; } = "";
    public string? ActorTenant { get; set; }
    public string? ActorApp { get; set; }
    public string? DatasetId { get; set; }
    public string? OwnerId { get; set; }
    public string? Subject { get; set; }
    public string Details { get; set; } = "{}";
    public string PrevHash { get; set; } = "";
    public string Hash { get; set; } = "";

    private static readonly JsonSerializerOptions CanonicalJson = new()
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The entry's canonical JSON: every field but the hash, keys in a fixed order, details with sorted keys, the instant in UTC
    /// with seven fractional digits. Its hash is SHA-256 over the previous hash, a line feed and this text.
    /// </summary>
    public string Canonical()
    {
        // (The options are shared: a fresh instance per entry would rebuild its serialisation caches for every hash.)
        var details = JsonNode.Parse(Details) as JsonObject ?? [];
        var sorted = new JsonObject();
        foreach (var (key, value) in details.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            sorted[key] = value?.DeepClone();
        }
        var entry = new JsonObject
        {
            ["seq"] = Seq,
            ["at"] = At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            ["type"] = Type,
            ["actorTenant"] = ActorTenant,
            ["actorApp"] = ActorApp,
            ["datasetId"] = DatasetId,
            ["ownerId"] = OwnerId,
            ["subject"] = Subject,
            ["details"] = sorted,
            ["prevHash"] = PrevHash,
        };
        return entry.ToJsonString(CanonicalJson);
    }

    public string ComputeHash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PrevHash + "\n" + Canonical())));
}
