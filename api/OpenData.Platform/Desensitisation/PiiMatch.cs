using OpenData.Platform.Datasets;

namespace OpenData.Platform.Desensitisation;

/// <summary>One recognised value inside a text: its kind and where it sits (UTF-16 offsets).</summary>
internal readonly record struct PiiMatch(PiiKind Kind, int Start, int Length);
