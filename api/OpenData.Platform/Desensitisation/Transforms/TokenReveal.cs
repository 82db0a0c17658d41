namespace OpenData.Platform.Desensitisation.Transforms;

/// <summary>What a pseudonymiser makes of a token it is shown: the value behind it, a genuine token of a value too long to carry, or nothing.</summary>
internal enum TokenReveal
{
    /// <summary>Not a token these keys made for this column's capacity (another tenant's, another dataset's, altered or invented).</summary>
    Refused,

    /// <summary>A token these keys made; the value behind it is given back.</summary>
    Revealed,

    /// <summary>
    /// A token these keys made for a value longer than the column's capacity: only a keyed digest of the value is inside,
    /// so it cannot be given back (and no filter can find its row).
    /// </summary>
    TooLong,
}
