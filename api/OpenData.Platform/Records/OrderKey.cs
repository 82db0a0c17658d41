using OpenData.Platform.Catalogue;

namespace OpenData.Platform.Records;

/// <summary>One resolved sort key of a read.</summary>
public sealed record OrderKey(ColumnDefinition Column, bool Descending);
