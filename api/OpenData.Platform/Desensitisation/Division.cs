namespace OpenData.Platform.Desensitisation;

/// <summary>One county-level or higher division: its code (2 digits a province, 4 a prefecture, 6 a county), the name as matched, and whether that is a short form.</summary>
internal readonly record struct Division(string Code, string Name, bool Short)
{
    /// <summary>1 province, 2 prefecture, 3 county.</summary>
    public int Level => Code.Length / 2;

    /// <summary>True when <paramref name="child"/> lies inside this division (its code extends this one's).</summary>
    public bool Holds(Division child) => child.Code.Length > Code.Length && child.Code.StartsWith(Code, StringComparison.Ordinal);
}
