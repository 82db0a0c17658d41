using OpenData.Platform.Datasets;

namespace OpenData.Platform.Records;

/// <summary>One resolved sort key of a read.</summary>
internal sealed record OrderKey(ColumnDefinition Column, bool Descending);
