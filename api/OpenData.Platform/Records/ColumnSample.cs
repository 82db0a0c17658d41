using OpenData.Platform.Desensitisation;

namespace OpenData.Platform.Records;

/// <summary>A few values of one column as an anonymous caller would see them (<c>visibility</c>); none when the column would be hidden.</summary>
internal sealed record ColumnSample(string Column, ColumnVisibility Visibility, IReadOnlyList<string> Values);
