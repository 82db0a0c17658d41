namespace OpenData.Platform.Desensitisation;

/// <summary>The column in <c>desensitisation.yaml</c> that applies to a caller: no grant, an approved grant, or a sandbox token.</summary>
internal enum AccessLevel
{
    Open,
    Granted,
    Sandbox,
}
