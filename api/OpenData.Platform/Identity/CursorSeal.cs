using System.Buffers.Text;
using System.Security.Cryptography;

namespace OpenData.Platform.Identity;

/// <summary>
/// Seals cursors: AES-256-GCM under a server key shared by every node (<see cref="KeyRing.CursorKeys"/>), so a cursor is opaque
/// (nothing in it is readable), cannot be made or altered by hand, and opens only for the context it was sealed for (the
/// dataset and the caller's view, passed as associated data). Layout, base64url: key id (1 byte) | nonce (12) | tag (16) | payload.
/// The nonce is an HMAC of the context and the payload under a second key (synthetic IV), so the same page for the same caller
/// always gets the same cursor (REST and GraphQL agree, URLs cache), and two different payloads never share a nonce.
/// </summary>
internal sealed class CursorSeal(KeyRing keyRing, TimeProvider clock)
{
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int Overhead = 1 + NonceLength + TagLength;

    /// <summary>Cursors longer than this are refused before any work (they travel in URLs; ours are far shorter).</summary>
    public const int MaxLength = 4096;

    // Keys are read again now and then, so a key another node rotated in starts sealing here too; an unknown key id reads
    // them at once, but at most once a second, so forged cursors cannot turn into a load on the store.
    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan UnknownKeyPause = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private IReadOnlyList<(int Id, byte[] Key, byte[] NonceKey)>? _keys;
    private DateTimeOffset _readAt;
    private DateTimeOffset _forcedAt = DateTimeOffset.MinValue;

    public string Seal(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> context)
    {
        var (id, key, nonceKey) = Keys(force: false)[0];
        var sealedBytes = new byte[Overhead + payload.Length];
        sealedBytes[0] = (byte)id;
        using (var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, nonceKey))
        {
            Span<byte> length = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, context.Length);
            mac.AppendData(length);
            mac.AppendData(context);
            mac.AppendData(payload);
            Span<byte> digest = stackalloc byte[32];
            mac.GetHashAndReset(digest);
            digest[..NonceLength].CopyTo(sealedBytes.AsSpan(1, NonceLength));
        }
        using (var aes = new AesGcm(key, TagLength))
        {
            aes.Encrypt(sealedBytes.AsSpan(1, NonceLength), payload, sealedBytes.AsSpan(Overhead), sealedBytes.AsSpan(1 + NonceLength, TagLength), context);
        }
        return Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The payload of a cursor this platform sealed for <paramref name="context"/>; null for anything else.</summary>
    public byte[]? Open(string? text, ReadOnlySpan<byte> context)
    {
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return null;
        }
        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
        if (sealedBytes.Length < Overhead)
        {
            return null;
        }
        var key = Find(sealedBytes[0]);
        if (key is null)
        {
            return null;
        }
        var payload = new byte[sealedBytes.Length - Overhead];
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(sealedBytes.AsSpan(1, NonceLength), sealedBytes.AsSpan(Overhead), sealedBytes.AsSpan(1 + NonceLength, TagLength), payload, context);
            return payload;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private byte[]? Find(byte id)
    {
        foreach (var (keyId, key, _) in Keys(force: false))
        {
            if ((byte)keyId == id)
            {
                return key;
            }
        }
        lock (_gate)
        {
            if (clock.GetUtcNow() - _forcedAt < UnknownKeyPause)
            {
                return null;
            }
            _forcedAt = clock.GetUtcNow();
        }
        foreach (var (keyId, key, _) in Keys(force: true))
        {
            if ((byte)keyId == id)
            {
                return key;
            }
        }
        return null;
    }

    private IReadOnlyList<(int Id, byte[] Key, byte[] NonceKey)> Keys(bool force)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_keys is null || force || now - _readAt >= Refresh)
            {
                // One stored secret per key id; the cipher key and the nonce key are derived from it apart.
                _keys = keyRing.CursorKeys().Select(k => (k.Id,
                    HKDF.DeriveKey(HashAlgorithmName.SHA256, k.Key, 32, info: "opendata/cursor/aes-gcm"u8.ToArray()),
                    HKDF.DeriveKey(HashAlgorithmName.SHA256, k.Key, 32, info: "opendata/cursor/nonce"u8.ToArray()))).ToList();
                _readAt = now;
            }
            return _keys;
        }
    }
}
