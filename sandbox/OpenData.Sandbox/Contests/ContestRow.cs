using System.Text.Json;

namespace OpenData.Sandbox.Contests;

/// <summary>A row of <c>contests</c> (JSON arrays as text).</summary>
internal sealed class ContestRow
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string? TitleEn { get; set; }
    public string Description { get; set; } = "";
    public string? DescriptionEn { get; set; }
    public string Rules { get; set; } = "";
    public int TermsVersion { get; set; }
    public string Tracks { get; set; } = "[]";
    public string Datasets { get; set; } = "[]";
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset RegistrationEndsAt { get; set; }
    public DateTimeOffset SubmissionEndsAt { get; set; }
    public DateTimeOffset? JudgingEndsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }
    public int TeamSizeLimit { get; set; }
    public string Visibility { get; set; } = "";
    public string AllowedDomains { get; set; } = "[]";
    public string Approval { get; set; } = "";
    public string Rubric { get; set; } = "[]";
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }
    public DateTimeOffset? ResultsPublishedAt { get; set; }
    public string? ResultsPublishedBy { get; set; }

    public IReadOnlyList<string> TrackList => List(Tracks);

    public IReadOnlyList<string> DatasetList => List(Datasets);

    public IReadOnlyList<string> DomainList => List(AllowedDomains);

    public IReadOnlyList<RubricCriterion> RubricList => JsonSerializer.Deserialize<List<RubricCriterion>>(Rubric, Json) ?? [];

    public ContestRow Clone() => (ContestRow)MemberwiseClone();

    public Contest ToContest(DateTimeOffset now) => new(
        Id, Title, TitleEn, Description, DescriptionEn, Rules, TermsVersion, TrackList, DatasetList,
        StartsAt, RegistrationEndsAt, SubmissionEndsAt, JudgingEndsAt, EndsAt, ContestPhases.Of(this, now),
        TeamSizeLimit, Visibility, DomainList, Approval, RubricList, ResultsPublishedAt, CreatedAt, UpdatedAt, Version);

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);

    private static List<string> List(string json) => JsonSerializer.Deserialize<List<string>>(json, Json) ?? [];
}
