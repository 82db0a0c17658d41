namespace OpenData.Sandbox.Twins;

/// <summary>
/// How a twin is made: a category (and a pair of categories, an area code, a birth year…) seen fewer than
/// <paramref name="MinCategoryCount"/> times in the real rows never appears in the twin; a twin has at most <paramref name="MaxRows"/> rows.
/// </summary>
internal sealed record TwinSettings(int MinCategoryCount = 10, long MaxRows = 1_000_000)
{
    /// <summary>Scale of the Laplace noise added to every count the generator samples from (a count of 1 moves by about this much).</summary>
    public double NoiseScale { get; init; } = 2.0;
}
