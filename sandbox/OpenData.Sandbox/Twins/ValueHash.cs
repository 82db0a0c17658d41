using System.Runtime.InteropServices;

namespace OpenData.Sandbox.Twins;

/// <summary>
/// Stable 64-bit hashes of cell values (the same in every process, unlike <see cref="string.GetHashCode()"/>): the profiler keeps
/// these instead of the real strings, and a twin value is checked against them.
/// </summary>
internal static class ValueHash
{
    private const ulong Prime = 0x100000001B3UL;
    private const ulong Offset = 0xCBF29CE484222325UL;

    public static ulong Of(string value) => Of(value.AsSpan());

    public static ulong Of(ReadOnlySpan<char> value)
    {
        // FNV-1a over the UTF-16 code units, four at a time, then a final avalanche so that close strings land far apart.
        var h = Offset ^ (ulong)value.Length;
        var words = MemoryMarshal.Cast<char, ulong>(value);
        foreach (var w in words)
        {
            h = (h ^ w) * Prime;
            h ^= h >> 29;
        }
        for (var i = words.Length * 4; i < value.Length; i++)
        {
            h = (h ^ value[i]) * Prime;
        }
        return Mix(h);
    }

    public static ulong Of(double value) => Mix(BitConverter.DoubleToUInt64Bits(value == 0 ? 0 : value) ^ 0x5DEECE66DUL);

    public static ulong Combine(ulong h, ulong value) => Mix(h ^ (value + 0x9E3779B97F4A7C15UL + (h << 6) + (h >> 2)));

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
