namespace OpenData.Platform.Common;

/// <summary>Endpoint metadata: error codes the route answers (several may sit on one endpoint, from its group and from itself).</summary>
internal sealed record RefusesMetadata(IReadOnlyList<string> Codes);
