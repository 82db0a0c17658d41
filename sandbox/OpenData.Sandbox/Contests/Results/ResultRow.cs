namespace OpenData.Sandbox.Contests;

/// <summary>A row of <c>contest_results</c>: a team's place as frozen at publication.</summary>
internal sealed class ResultRow
{
    public string ContestId { get; set; } = "";
    public string TeamId { get; set; } = "";
    public int? Rank { get; set; }
    public double? Score { get; set; }
    public int Judges { get; set; }
    public string? Award { get; set; }
}
