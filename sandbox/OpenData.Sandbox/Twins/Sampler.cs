namespace OpenData.Sandbox.Twins;

/// <summary>Draws an index with probability proportional to its weight (a cumulative table and a binary search).</summary>
internal sealed class Sampler
{
    private readonly double[] _cumulative;

    public Sampler(ReadOnlySpan<double> weights)
    {
        _cumulative = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += Math.Max(0, weights[i]);
            _cumulative[i] = sum;
        }
        Total = sum;
    }

    public double Total { get; }

    public bool IsEmpty => Total <= 0;

    /// <summary>Counts with Laplace noise of <paramref name="scale"/> (negative results count as none).</summary>
    public static Sampler Noisy(ReadOnlySpan<long> counts, TwinRandom random, double scale)
    {
        var weights = new double[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            weights[i] = counts[i] > 0 ? Math.Max(0, counts[i] + random.Laplace(scale)) : 0;
        }
        return new Sampler(weights);
    }

    public int Next(TwinRandom random)
    {
        var target = random.NextDouble() * Total;
        var lo = 0;
        var hi = _cumulative.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_cumulative[mid] > target)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
