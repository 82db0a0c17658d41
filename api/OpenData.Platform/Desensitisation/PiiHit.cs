using OpenData.Platform.Datasets;

namespace OpenData.Platform.Desensitisation;

/// <summary>A value the outbound check found, from <see cref="Start"/> to <see cref="End"/> (folded offsets while finding, the text's own after), and what replaces it.</summary>
internal readonly record struct PiiHit(PiiKind Kind, int Start, int End, string Replacement);
