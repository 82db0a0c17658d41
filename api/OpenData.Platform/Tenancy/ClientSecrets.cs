using System.Security.Cryptography;
using System.Text;

namespace OpenData.Platform.Tenancy;

/// <summary>
/// Client ids and secrets. A secret is 256 random bits shown once; only its SHA-256 is stored. A fast hash is right for
/// secrets of that entropy (no dictionary to guess from) and keeps the token endpoint cheap; passwords use PBKDF2.
/// A sandbox app's id and secret start with <c>sbx_</c> (<c>sbx_od_…</c>, <c>sbx_ods_…</c>), so that secret scanners and
/// people tell them from a live app's (<c>od_…</c>, <c>ods_…</c>) at a glance.
/// </summary>
internal static class ClientSecrets
{
    /// <summary>What starts every credential of a sandbox app.</summary>
    public const string SandboxPrefix = "sbx_";

    public static string NewClientId(string environment) => PrefixOf(environment) + "od_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static string NewSecret(string environment) => PrefixOf(environment) + "ods_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static string PrefixOf(string environment) => environment == "sandbox" ? SandboxPrefix : "";

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant-time comparison of a presented secret with a stored hash.</summary>
    public static bool Matches(string? presented, string storedHash) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(storedHash));
}
