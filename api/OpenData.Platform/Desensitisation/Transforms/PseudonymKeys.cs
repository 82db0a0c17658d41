using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Desensitisation.Transforms;

/// <summary>
/// The pseudonymisation master key and the keys derived from it with HKDF-SHA256: one per tenant and dataset, so one person's
/// tokens differ from dataset to dataset (a publisher who uploads candidate values learns nothing about another dataset's
/// tokens), and one per tenant and linkage domain, used only for the columns a grant approves the domain for. The master key
/// comes from <c>OpenData:Desensitisation:MasterKey</c> (base64 of 32 bytes; every node must share it) or is generated on
/// first start and kept in the database sealed under the key-encryption key. Changing it changes every token ever issued.
/// </summary>
internal sealed class PseudonymKeys
{
    private const int MaxKept = 10_000;
    private static readonly byte[] Salt = "opendata/pseudonym/v1"u8.ToArray();
    private readonly Lazy<byte[]> _master;
    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

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

    /// <summary>A pseudonymiser for one request of <paramref name="tenantId"/> reading <paramref name="datasetId"/>.</summary>
    public Pseudonymiser ForDataset(string tenantId, string datasetId, int capacity = Pseudonymiser.DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentNullException.ThrowIfNull(datasetId);
        return new Pseudonymiser(Derive($"tenant:{tenantId}|dataset:{datasetId}"), capacity);
    }

    /// <summary>
    /// A pseudonymiser for one request of <paramref name="tenantId"/> on columns in linkage domain <paramref name="domain"/>:
    /// the same for every dataset whose grant approves the domain, so tokens match across exactly those datasets.
    /// </summary>
    public Pseudonymiser ForLinkage(string tenantId, string domain, int capacity = Pseudonymiser.DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentNullException.ThrowIfNull(domain);
        return new Pseudonymiser(Derive($"tenant:{tenantId}|linkage:{domain}"), capacity);
    }

    // Tenant ids, dataset ids and domain names are slugs without '|', so no two scopes share an info string.
    private byte[] Derive(string info)
    {
        if (_keys.Count >= MaxKept && !_keys.ContainsKey(info))
        {
            // Tenants times datasets has no bound, and deriving again costs two HMACs: start over rather than grow.
            _keys.Clear();
        }
        return _keys.GetOrAdd(info, i => HKDF.DeriveKey(HashAlgorithmName.SHA256, _master.Value, 64, Salt, Encoding.UTF8.GetBytes(i)));
    }

    /// <summary>A key for made-up sandbox values, so they are stable from one read to the next.</summary>
    public byte[] SyntheticKey() =>
        _keys.GetOrAdd("\0synthetic", _ => HKDF.DeriveKey(HashAlgorithmName.SHA256, _master.Value, 32, Salt, "synthetic"u8.ToArray()));
}
