using System.Security.Cryptography;
using System.Text;

namespace OpenData.Platform.Desensitisation.Transforms;

/// <summary>
/// Deterministic authenticated encryption of values for one tenant (SIV: the IV is an HMAC of the value, the value is then
/// encrypted with AES-CTR under that IV). The same value always gives the same token for the tenant, another tenant's keys
/// give an unrelated token, and only the platform can turn a token back into its value, which it does to answer
/// <c>where column = 'token'</c>. A token is <c>pt_</c> and base32 (lower case, digits 2–7), so it never looks like a phone
/// or ID-card number. One instance serves one request: it is not thread-safe.
/// </summary>
public sealed class Pseudonymiser : IDisposable
{
    public const string Prefix = "pt_";
    private const int IvLength = 16;

    private readonly byte[] _macKey;
    private readonly Aes _aes;

    /// <param name="tenantKey">64 bytes: 32 for the HMAC, 32 for AES.</param>
    public Pseudonymiser(ReadOnlySpan<byte> tenantKey)
    {
        if (tenantKey.Length != 64)
        {
            throw new ArgumentException("a tenant key has 64 bytes", nameof(tenantKey));
        }
        _macKey = tenantKey[..32].ToArray();
        _aes = Aes.Create();
        _aes.Key = tenantKey[32..].ToArray();
    }

    public string Protect(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var plain = Encoding.UTF8.GetBytes(value);
        var sealedBytes = new byte[IvLength + plain.Length];
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_macKey, plain, mac);
        mac[..IvLength].CopyTo(sealedBytes);
        Ctr(sealedBytes.AsSpan(0, IvLength), plain, sealedBytes.AsSpan(IvLength));
        return Prefix + Base32.Encode(sealedBytes);
    }

    /// <summary>False for anything that is not a token this tenant's keys made, including other tenants' tokens.</summary>
    public bool TryReveal(string token, out string value)
    {
        ArgumentNullException.ThrowIfNull(token);
        value = "";
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var sealedBytes = Base32.Decode(token.AsSpan(Prefix.Length));
        if (sealedBytes is null || sealedBytes.Length < IvLength)
        {
            return false;
        }
        var plain = new byte[sealedBytes.Length - IvLength];
        Ctr(sealedBytes.AsSpan(0, IvLength), sealedBytes.AsSpan(IvLength), plain);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_macKey, plain, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..IvLength], sealedBytes.AsSpan(0, IvLength)))
        {
            return false;
        }
        try
        {
            value = new UTF8Encoding(false, true).GetString(plain);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>AES-CTR with a 128-bit big-endian counter starting at the IV.</summary>
    private void Ctr(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var blocks = (input.Length + 15) / 16;
        var counters = new byte[blocks * 16];
        var counter = iv.ToArray();
        for (var b = 0; b < blocks; b++)
        {
            counter.CopyTo(counters, b * 16);
            for (var k = 15; k >= 0 && ++counter[k] == 0; k--)
            {
            }
        }
        var stream = _aes.EncryptEcb(counters, PaddingMode.None);
        for (var i = 0; i < input.Length; i++)
        {
            output[i] = (byte)(input[i] ^ stream[i]);
        }
    }

    public void Dispose()
    {
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_macKey);
    }
}
