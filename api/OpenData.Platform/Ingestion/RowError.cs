namespace OpenData.Platform.Ingestion;

/// <summary>One rejected value or row: the data row (1 = first row after the header), the file line, the column and what is wrong.</summary>
internal sealed record RowError(long? Row, long? Line, string? Column, string Message);
