namespace OpenData.Platform.Ingestion;

/// <summary>Where checked rows go while a version loads: a prepared insert on SQLite, binary COPY on PostgreSQL.</summary>
internal interface IRowSink : IDisposable
{
    void Add(long row, object?[] values);

    /// <summary>Makes every added row durable in the staging table; without it nothing stays.</summary>
    void Complete();
}
