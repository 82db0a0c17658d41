using OpenData.Platform.Tenancy;

namespace OpenData.Sandbox.Promotion;

/// <summary>
/// The answer of <c>POST /v1/apps/{id}/promote</c>: the live app made from the sandbox app (its secret shown this once) and the
/// draft access requests prefilled from what the sandbox app read, for the developer to complete and submit.
/// </summary>
internal sealed record AppPromotion(string SandboxAppId, AppCredentials App, IReadOnlyList<PromotedDraft> Drafts);
