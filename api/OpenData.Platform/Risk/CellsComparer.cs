namespace OpenData.Platform.Risk;

/// <summary>Compares combinations of shown cells by value, so rows that look alike fall into one equivalence class.</summary>
internal sealed class CellsComparer : IEqualityComparer<object?[]>
{
    public static readonly CellsComparer Instance = new();

    public bool Equals(object?[]? x, object?[]? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }
        if (x is null || y is null || x.Length != y.Length)
        {
            return false;
        }
        for (var i = 0; i < x.Length; i++)
        {
            if (!Equals(x[i], y[i]))
            {
                return false;
            }
        }
        return true;
    }

    public int GetHashCode(object?[] obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = new HashCode();
        foreach (var cell in obj)
        {
            hash.Add(cell);
        }
        return hash.ToHashCode();
    }
}
