using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using OpenData.Platform.Auth;

namespace OpenData.Platform.Desensitisation.Transforms;

/// <summary>
/// The pseudonymisation master key and the per-tenant keys derived from it with HKDF-SHA256. The master key comes from
/// <c>OpenData:Desensitisation:MasterKey</c> (base64 of 32 bytes; every node must share it) or is generated on first start
/// and kept in the database sealed under the key-encryption key. Changing it changes every token ever issued.
/// </summary>
public sealed class PseudonymKeys
{
    private static readonly byte[] Salt = "opendata/pseudonym/v1"u8.ToArray();
    private readonly Lazy<byte[]> _master;
    private readonly ConcurrentDictionary<string, byte[]> _tenants = new(StringComparer.Ordinal);

    public PseudonymKeys(IConfiguration configuration, KeyRing keyRing)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(keyRing);
        var configured = configuration["OpenData:Desensitisation:MasterKey"];
        _master = new Lazy<byte[]>(() =>
        {
            if (string.IsNullOrEmpty(configured))
            {
                return keyRing.SharedSecret("pseudonym-master");
            }
            var key = Convert.FromBase64String(configured);
            return key.Length == 32 ? key : throw new InvalidOperationException("OpenData:Desensitisation:MasterKey must be the base64 of 32 bytes");
        });
    }

    /// <summary>Creates or loads the master key now, so a misconfiguration stops the host at start.</summary>
    public void EnsureLoaded() => _ = _master.Value;

    /// <summary>A pseudonymiser for one request of <paramref name="tenantId"/>.</summary>
    public Pseudonymiser For(string tenantId)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        var key = _tenants.GetOrAdd(tenantId, id => HKDF.DeriveKey(HashAlgorithmName.SHA256, _master.Value, 64, Salt, Encoding.UTF8.GetBytes("tenant:" + id)));
        return new Pseudonymiser(key);
    }

    /// <summary>A key for made-up sandbox values, so they are stable from one read to the next.</summary>
    public byte[] SyntheticKey() =>
        _tenants.GetOrAdd("\0synthetic", _ => HKDF.DeriveKey(HashAlgorithmName.SHA256, _master.Value, 32, Salt, "synthetic"u8.ToArray()));
}
