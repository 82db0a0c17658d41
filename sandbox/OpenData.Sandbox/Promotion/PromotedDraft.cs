namespace OpenData.Sandbox.Promotion;

/// <summary>A draft access request a promotion made: the restricted or sensitive dataset and exactly the columns the sandbox app read of it.</summary>
internal sealed record PromotedDraft(string Id, string DatasetId, IReadOnlyList<string> Columns);
