using System.Security.Cryptography;
using System.Text;

namespace OpenData.Platform.Tenancy;

/// <summary>
/// Client ids and secrets. A secret is 256 random bits shown once; only its SHA-256 is stored. A fast hash is right for
/// secrets of that entropy (no dictionary to guess from) and keeps the token endpoint cheap; passwords use PBKDF2.
/// </summary>
internal static class ClientSecrets
{
    public static string NewClientId() => "od_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static string NewSecret() => "ods_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant-time comparison of a presented secret with a stored hash.</summary>
    public static bool Matches(string? presented, string storedHash) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(storedHash));
}
