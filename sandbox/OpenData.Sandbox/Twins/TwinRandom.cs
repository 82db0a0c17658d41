namespace OpenData.Sandbox.Twins;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64): the same seed gives the same sequence on every machine
/// and in every process, which <see cref="Random"/>'s unseeded instances and string hash codes do not promise.
/// </summary>
internal sealed class TwinRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public TwinRandom(long seed)
    {
        var x = (ulong)seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A number in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A number in [0, <paramref name="max"/>).</summary>
    public int Next(int max) => (int)((NextUInt64() >> 32) * (ulong)max >> 32);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public int Next(int min, int max) => min + Next(max - min);

    /// <summary>A number in [0, <paramref name="max"/>) for any positive 64-bit bound.</summary>
    public long NextLong(long max) => (long)(NextUInt64() % (ulong)max);

    /// <summary>Laplace noise of the given scale (mean 0).</summary>
    public double Laplace(double scale)
    {
        var u = NextDouble() - 0.5;
        return -scale * Math.Sign(u) * Math.Log(1 - (2 * Math.Abs(u)));
    }

    public char Digit() => (char)('0' + Next(10));

    public T Pick<T>(T[] items) => items[Next(items.Length)];

    /// <summary>A seed for a separate stream (one per column), so adding a column does not shift the others' values.</summary>
    public static long Derive(long seed, int stream)
    {
        var x = (ulong)seed ^ (0x9E3779B97F4A7C15UL * (ulong)(stream + 1));
        return (long)SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
