using System.Globalization;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Contests;

/// <summary>
/// The organiser's contest form as typed: texts, lists one item a line, dates in China Standard Time, the rubric as rows. It
/// becomes the body <see cref="ContestService"/> takes (as <c>POST</c> and <c>PATCH /v1/contests</c>); what is not even a date or
/// a number is refused here, on its field, before the service sees it.
/// </summary>
internal sealed class ContestInput
{
    /// <summary>How many empty rubric rows the form offers below the criteria it has.</summary>
    public const int SpareRubricRows = 2;

    private const int MaxRubricRows = 20;

    private static readonly char[] ListSeparators = ['\n', '\r', ',', '，', '、', ';', '；', ' ', '\t'];

    public string? Id { get; set; }
    public string? Title { get; set; }
    public string? TitleEn { get; set; }
    public string? Description { get; set; }
    public string? DescriptionEn { get; set; }
    public string? Rules { get; set; }
    public string? Tracks { get; set; }
    public string? Datasets { get; set; }
    public string? StartsAt { get; set; }
    public string? RegistrationEndsAt { get; set; }
    public string? SubmissionEndsAt { get; set; }
    public string? JudgingEndsAt { get; set; }
    public string? EndsAt { get; set; }
    public string? TeamSizeLimit { get; set; }
    public string? Visibility { get; set; }
    public string? AllowedDomains { get; set; }
    public string? Approval { get; set; }
    public List<RubricInput> Rubric { get; set; } = [];

    /// <summary>A new contest's form: the platform's standard terms, five people a team, public, automatic approval, the default rubric.</summary>
    public static ContestInput New() => new ContestInput
    {
        Rules = ContestService.DefaultRules,
        TeamSizeLimit = "5",
        Visibility = ContestService.Public,
        Approval = ContestService.Auto,
        Rubric = [.. ContestService.DefaultRubric.Select(Row)],
    }.WithSpareRows();

    /// <summary>The form of an existing contest.</summary>
    public static ContestInput From(Contest contest)
    {
        ArgumentNullException.ThrowIfNull(contest);
        return new ContestInput
        {
            Id = contest.Id,
            Title = contest.Title,
            TitleEn = contest.TitleEn,
            Description = contest.Description,
            DescriptionEn = contest.DescriptionEn,
            Rules = contest.Rules,
            Tracks = string.Join('\n', contest.Tracks),
            Datasets = string.Join('\n', contest.Datasets),
            StartsAt = ContestDates.Input(contest.StartsAt),
            RegistrationEndsAt = ContestDates.Input(contest.RegistrationEndsAt),
            SubmissionEndsAt = ContestDates.Input(contest.SubmissionEndsAt),
            JudgingEndsAt = ContestDates.Input(contest.JudgingEndsAt),
            EndsAt = ContestDates.Input(contest.EndsAt),
            TeamSizeLimit = contest.TeamSizeLimit.ToString(CultureInfo.InvariantCulture),
            Visibility = contest.Visibility,
            AllowedDomains = string.Join('\n', contest.AllowedDomains),
            Approval = contest.Approval,
            Rubric = [.. contest.Rubric.Select(Row)],
        }.WithSpareRows();
    }

    /// <summary>The form with its blank rubric rows taken out and <see cref="SpareRubricRows"/> empty ones added (to show it again).</summary>
    public ContestInput WithSpareRows()
    {
        Rubric = [.. Rubric.Where(r => !r.IsBlank)];
        while (Rubric.Count < MaxRubricRows && Rubric.Count(r => r.IsBlank) < SpareRubricRows)
        {
            Rubric.Add(new RubricInput());
        }
        return this;
    }

    /// <summary>
    /// The service's body: every field for a new contest; for an edit (<paramref name="current"/>), every field but the id, and the
    /// rubric only when it changed (a scored contest's rubric is fixed, and sending it unchanged should not be refused).
    /// <paramref name="invalid"/> gets the fields that are not a date or a number as typed (field name → what is wrong: date, number).
    /// </summary>
    public NewContest ToBody(Contest? current, IDictionary<string, string> invalid)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        DateTimeOffset? Date(string? text, string field)
        {
            if (ContestDates.TryParse(text, out var value))
            {
                return value;
            }
            invalid[field] = "date";
            return null;
        }
        int? size = null;
        if (!string.IsNullOrWhiteSpace(TeamSizeLimit))
        {
            if (int.TryParse(TeamSizeLimit.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                size = parsed;
            }
            else
            {
                invalid["teamSizeLimit"] = "number";
            }
        }
        var rubric = new List<RubricCriterion>();
        foreach (var row in Rubric.Where(r => !r.IsBlank))
        {
            if (double.TryParse(row.Weight?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var weight)
                && double.TryParse(string.IsNullOrWhiteSpace(row.Max) ? "10" : row.Max.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var max))
            {
                rubric.Add(new RubricCriterion(row.Name?.Trim() ?? "", weight, max));
            }
            else
            {
                invalid["rubric"] = "number";
            }
        }
        var sendRubric = rubric.Count > 0 && (current is null || !rubric.SequenceEqual(current.Rubric));
        return new NewContest(
            current is null ? Blank(Id) : null, Title ?? "", TitleEn ?? "", Description ?? "", DescriptionEn ?? "", Rules ?? "",
            Lines(Tracks, ['\n', '\r']), Lines(Datasets, ListSeparators),
            Date(StartsAt, "startsAt"), Date(RegistrationEndsAt, "registrationEndsAt"), Date(SubmissionEndsAt, "submissionEndsAt"),
            Date(JudgingEndsAt, "judgingEndsAt"), Date(EndsAt, "endsAt"),
            size, Blank(Visibility), Lines(AllowedDomains, ListSeparators), Blank(Approval), sendRubric ? rubric : null);
    }

    private static RubricInput Row(RubricCriterion criterion) => new()
    {
        Name = criterion.Name,
        Weight = criterion.Weight.ToString(CultureInfo.InvariantCulture),
        Max = criterion.Max.ToString(CultureInfo.InvariantCulture),
    };

    private static List<string> Lines(string? text, char[] separators) =>
        [.. (text ?? "").Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
