using System.Security.Cryptography;
using System.Text;

namespace OpenData.Platform.Desensitisation.Transforms;

/// <summary>
/// Deterministic authenticated encryption of values under one key scope (SIV: the IV is an HMAC of the padded value, which
/// is then encrypted with AES-CTR under that IV). The same value always gives the same token under one key, another key gives
/// an unrelated token, and only the platform can turn a token back into its value, which it does to answer
/// <c>where column = 'token'</c>. A token is <c>pt_</c> and base32 (lower case, digits 2–7), so it never looks like a phone
/// or ID-card number. Every token of one capacity has the same length whatever the value: the value is padded to the
/// capacity before sealing, and a longer value is replaced by a keyed digest of it behind a marker inside the seal, so its
/// token has that length too but cannot be revealed. One instance serves one request: it is not thread-safe.
/// </summary>
internal sealed class Pseudonymiser : IDisposable
{
    public const string Prefix = "pt_";

    /// <summary>The longest value, in UTF-8 bytes, a token carries unless the policy says otherwise (an ID-card number is 18).</summary>
    public const int DefaultCapacity = 32;

    public const int MinCapacity = 16;
    public const int MaxCapacity = 128;

    private const int IvLength = 16;

    // Neither byte ever occurs in UTF-8, so padding cannot be mistaken for the value and a digest cannot be mistaken for a value.
    private const byte Pad = 0xFF;
    private const byte TooLongMarker = 0xFE;

    private readonly byte[] _macKey;
    private readonly Aes _aes;

    /// <param name="key">64 bytes: 32 for the HMAC, 32 for AES.</param>
    /// <param name="capacity">The longest value in UTF-8 bytes whose token reveals; it fixes the length of every token.</param>
    public Pseudonymiser(ReadOnlySpan<byte> key, int capacity = DefaultCapacity)
    {
        if (key.Length != 64)
        {
            throw new ArgumentException("a pseudonym key has 64 bytes", nameof(key));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, MinCapacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, MaxCapacity);
        Capacity = capacity;
        TokenLength = TokenLengthFor(capacity);
        _macKey = key[..32].ToArray();
        _aes = Aes.Create();
        _aes.Key = key[32..].ToArray();
    }

    public int Capacity { get; }

    /// <summary>The length of every token this instance makes.</summary>
    public int TokenLength { get; }

    /// <summary>The length of every token of a column whose values are padded to <paramref name="capacity"/> bytes.</summary>
    public static int TokenLengthFor(int capacity) => Prefix.Length + (((IvLength + capacity) * 8) + 4) / 5;

    public string Protect(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sealedBytes = new byte[IvLength + Capacity];
        var block = sealedBytes.AsSpan(IvLength);
        var length = Encoding.UTF8.GetByteCount(value);
        if (length <= Capacity)
        {
            Encoding.UTF8.GetBytes(value, block);
            block[length..].Fill(Pad);
        }
        else
        {
            // Too long to carry: a keyed digest stands for the value, so equal values still give equal tokens of the same length.
            var input = new byte[1 + length];
            input[0] = TooLongMarker;
            Encoding.UTF8.GetBytes(value, input.AsSpan(1));
            Span<byte> digest = stackalloc byte[32];
            HMACSHA256.HashData(_macKey, input, digest);
            block[0] = TooLongMarker;
            digest[..Math.Min(digest.Length, Capacity - 1)].CopyTo(block[1..]);
        }
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_macKey, block, mac);
        mac[..IvLength].CopyTo(sealedBytes);
        Ctr(sealedBytes.AsSpan(0, IvLength), block, block);
        return Prefix + Base32.Encode(sealedBytes);
    }

    /// <summary>True with the value for a token these keys made for a value that fits; false for anything else.</summary>
    public bool TryReveal(string token, out string value) => Reveal(token, out value) == TokenReveal.Revealed;

    /// <summary>
    /// The value behind a token these keys made. Anything else is refused: other keys' tokens (another tenant, dataset or
    /// linkage domain), tokens of another capacity, altered or invented text.
    /// </summary>
    public TokenReveal Reveal(string token, out string value)
    {
        ArgumentNullException.ThrowIfNull(token);
        value = "";
        if (token.Length != TokenLength || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return TokenReveal.Refused;
        }
        var sealedBytes = Base32.Decode(token.AsSpan(Prefix.Length));
        if (sealedBytes is null || sealedBytes.Length != IvLength + Capacity)
        {
            return TokenReveal.Refused;
        }
        var block = new byte[Capacity];
        Ctr(sealedBytes.AsSpan(0, IvLength), sealedBytes.AsSpan(IvLength), block);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_macKey, block, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..IvLength], sealedBytes.AsSpan(0, IvLength)))
        {
            return TokenReveal.Refused;
        }
        if (block[0] == TooLongMarker)
        {
            return TokenReveal.TooLong;
        }
        var length = Array.IndexOf(block, Pad);
        length = length < 0 ? Capacity : length;
        if (block.AsSpan(length).ContainsAnyExcept(Pad))
        {
            return TokenReveal.Refused;
        }
        try
        {
            value = new UTF8Encoding(false, true).GetString(block, 0, length);
            return TokenReveal.Revealed;
        }
        catch (DecoderFallbackException)
        {
            return TokenReveal.Refused;
        }
    }

    /// <summary>AES-CTR with a 128-bit big-endian counter starting at the IV; <paramref name="output"/> may be <paramref name="input"/>.</summary>
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
