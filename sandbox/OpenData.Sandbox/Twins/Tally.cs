namespace OpenData.Sandbox.Twins;

/// <summary>Counts of 64-bit keys (area codes, birth years, prefixes…), of which only those seen at least k times reach a twin.</summary>
internal sealed class Tally
{
    private readonly Dictionary<long, long> _counts = [];

    public long Total { get; private set; }

    public void Add(long key)
    {
        Total++;
        if (_counts.TryGetValue(key, out var n))
        {
            _counts[key] = n + 1;
        }
        else
        {
            _counts[key] = 1;
        }
    }

    public long Count(long key) => _counts.GetValueOrDefault(key);

    /// <summary>The keys seen at least <paramref name="k"/> times (and, when given, allowed), in key order, with their counts.</summary>
    public (long[] Keys, long[] Counts) Kept(int k, Func<long, bool>? allowed = null)
    {
        var keys = new List<long>();
        foreach (var (key, n) in _counts)
        {
            if (n >= k && (allowed is null || allowed(key)))
            {
                keys.Add(key);
            }
        }
        keys.Sort();
        var counts = new long[keys.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = _counts[keys[i]];
        }
        return ([.. keys], counts);
    }

    /// <summary>Total variation distance between this tally's shares and <paramref name="other"/>'s (0 identical, 1 disjoint).</summary>
    public double Distance(Tally other)
    {
        if (Total == 0 || other.Total == 0)
        {
            return Total == other.Total ? 0 : 1;
        }
        var sum = 0.0;
        foreach (var (key, n) in _counts)
        {
            sum += Math.Abs(((double)n / Total) - ((double)other.Count(key) / other.Total));
        }
        foreach (var (key, n) in other._counts)
        {
            if (!_counts.ContainsKey(key))
            {
                sum += (double)n / other.Total;
            }
        }
        return sum / 2;
    }
}
