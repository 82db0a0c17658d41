namespace OpenData.Sandbox.Twins;

/// <summary>Cramér's V of a contingency table of counts (rows × columns, row-major).</summary>
internal static class Contingency
{
    /// <summary>Tables larger than this many cells are not measured (nor used to condition one column on another).</summary>
    public const int MaxCells = 1 << 22;

    /// <summary>Counts pairs of local categories (rows with a dropped category, -1, left out).</summary>
    public static long[] Count(int[] first, int[] second, int rows, int columns, int length)
    {
        var table = new long[rows * columns];
        for (var i = 0; i < length; i++)
        {
            var a = first[i];
            var b = second[i];
            if (a >= 0 && b >= 0)
            {
                table[(a * columns) + b]++;
            }
        }
        return table;
    }

    public static double CramersV(long[] table, int rows, int columns)
    {
        var rowSums = new double[rows];
        var columnSums = new double[columns];
        var n = 0.0;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var v = table[(r * columns) + c];
                rowSums[r] += v;
                columnSums[c] += v;
                n += v;
            }
        }
        var usedRows = 0;
        foreach (var s in rowSums)
        {
            usedRows += s > 0 ? 1 : 0;
        }
        var usedColumns = 0;
        foreach (var s in columnSums)
        {
            usedColumns += s > 0 ? 1 : 0;
        }
        var degrees = Math.Min(usedRows, usedColumns) - 1;
        if (n == 0 || degrees <= 0)
        {
            return 0;
        }
        var chi2 = 0.0;
        for (var r = 0; r < rows; r++)
        {
            if (rowSums[r] == 0)
            {
                continue;
            }
            for (var c = 0; c < columns; c++)
            {
                if (columnSums[c] == 0)
                {
                    continue;
                }
                var expected = rowSums[r] * columnSums[c] / n;
                var d = table[(r * columns) + c] - expected;
                chi2 += d * d / expected;
            }
        }
        return Math.Min(1, Math.Sqrt(chi2 / (n * degrees)));
    }
}
