using System.Text.Json;

namespace OpenData.Sandbox.Contests;

/// <summary>A row of <c>contest_scores</c>: one judge's scorecard for one team's entry.</summary>
internal sealed class ScoreRow
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ContestId { get; set; } = "";
    public string TeamId { get; set; } = "";
    public string MemberId { get; set; } = "";
    public string Scores { get; set; } = "[]";
    public string Comment { get; set; } = "";
    public DateTimeOffset ScoredAt { get; set; }

    public IReadOnlyList<CriterionScore> ScoreList => JsonSerializer.Deserialize<List<CriterionScore>>(Scores, Json) ?? [];

    public static string ToJson(IReadOnlyList<CriterionScore> scores) => JsonSerializer.Serialize(scores, Json);
}
