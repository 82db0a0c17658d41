namespace OpenData.Platform.Ingestion;

/// <summary>A running job's counters, updated by the loader as it reads.</summary>
internal sealed class IngestionProgress
{
    private long _bytesRead;
    private long _rowsRead;
    private long _rowsRejected;

    public long BytesTotal { get; init; }

    /// <summary>For tests: the loader stops dead (<see cref="IngestionHaltedException"/>) once this many rows were read, as if its node died; 0 never.</summary>
    public long HaltAfterRows { get; init; }

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long RowsRead => Interlocked.Read(ref _rowsRead);

    public long RowsRejected => Interlocked.Read(ref _rowsRejected);

    public void Report(long bytesRead, long rowsRead, long rowsRejected)
    {
        Interlocked.Exchange(ref _bytesRead, bytesRead);
        Interlocked.Exchange(ref _rowsRead, rowsRead);
        Interlocked.Exchange(ref _rowsRejected, rowsRejected);
        if (HaltAfterRows > 0 && rowsRead >= HaltAfterRows)
        {
            throw new IngestionHaltedException();
        }
    }
}
