using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>
/// Laplace noise drawn deterministically from a seed: the SHA-256 of the query's canonical form, the cell's key and the statistic's
/// name, so the same query over the same version answers the same figures every time (a repeat teaches nothing and costs nothing)
/// while any other query, even one differing by a single row, draws independent noise.
/// </summary>
internal static class LaplaceNoise
{
    /// <summary>A draw of Laplace(0, <paramref name="scale"/>) for one statistic of one cell of one query.</summary>
    public static double Draw(string canonical, string cell, string statistic, double scale)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical + "\n" + cell + "\n" + statistic));
        // 53 random bits → u uniform in (0, 1), never 0 or 1; then the inverse of the Laplace CDF.
        var bits = BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11;
        var u = (bits + 0.5) / (1UL << 53);
        return u < 0.5 ? scale * Math.Log(2 * u) : -scale * Math.Log(2 * (1 - u));
    }

    /// <summary>The magnitude a draw stays within with probability <paramref name="confidence"/>: scale × ln(1 / (1 − confidence)).</summary>
    public static double Bound(double scale, double confidence) => scale * Math.Log(1 / (1 - confidence));
}
