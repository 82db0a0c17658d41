using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using OpenData.Portal.Developer;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The organiser's judging of a contest (platform operators only): the judges (<see cref="JudgingService"/>: named by e-mail, limited
/// to some teams or not, with the teams each sees and those set aside for a conflict of interest, and how many entries each
/// scored; removed by a button), the standings as the scorecards give them now (<see cref="ResultService.StandingsAsync"/>), and
/// publishing the results with the awards (<see cref="ResultService.PublishAsync"/>; first to third prize by rank are proposed, named
/// in the page's language).
/// </summary>
internal sealed class ContestJudgingModel(
    ContestService contests, TeamService teams, JudgingService judging, ResultService results, IStringLocalizer<PortalText> text) : ConsolePageModel
{
    public string Id { get; private set; } = "";

    public Contest? Contest { get; private set; }

    public IReadOnlyList<Judge> Judges { get; private set; } = [];

    public IReadOnlyList<Team> ApprovedTeams { get; private set; } = [];

    public StandingList? Standings { get; private set; }

    /// <summary>What just happened: <c>judge-added</c>, <c>judge-changed</c>, <c>judge-removed</c> or <c>published</c>.</summary>
    public string? Done { get; private set; }

    public bool IsOrganiser => Person.IsOperator && Holds(Platform.Identity.Scopes.PlatformAdmin);

    [BindProperty]
    public string? Email { get; set; }

    /// <summary>The teams a new judge is limited to (none: every entry).</summary>
    [BindProperty]
    public List<string> Teams { get; set; } = [];

    /// <summary>The award typed for each team (team id → award; blank: none).</summary>
    [BindProperty]
    public Dictionary<string, string?> Awards { get; set; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken))
        {
            ProposeAwards();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAddJudgeAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return Page();
        }
        ProposeAwards();
        var added = await judging.AddJudgeAsync(Person.Principal, id, new NewJudge(Email, Teams.Count > 0 ? Teams : null), cancellationToken);
        if (added.Refusal is { } refusal)
        {
            return Refused("Judge", refusal, new Dictionary<string, string>
            {
                [JudgingErrors.PersonNotFound] = "email", [Platform.Common.CommonErrors.Validation] = "email", [ContestErrors.ResultsPublished] = "judge",
            });
        }
        Done = added.Value.Created ? "judge-added" : "judge-changed";
        Email = null;
        Teams = [];
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveJudgeAsync(string id, string? judgeId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return Page();
        }
        ProposeAwards();
        var removed = await judging.RemoveJudgeAsync(Person.Principal, id, judgeId ?? "", cancellationToken);
        if (removed.Refusal is { } refusal)
        {
            return Refused("Judge", refusal, new Dictionary<string, string> { [refusal.Code] = "judge" });
        }
        Done = "judge-removed";
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostPublishAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return Page();
        }
        var awards = Awards.Where(a => !string.IsNullOrWhiteSpace(a.Value)).Select(a => new AwardInput(a.Key, a.Value!.Trim())).ToList();
        var published = await results.PublishAsync(Person.Principal, id, new NewResults(awards), cancellationToken);
        if (published.Refusal is { } refusal)
        {
            return Refused("Results", refusal, new Dictionary<string, string> { [refusal.Code] = "awards" });
        }
        Done = "published";
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    /// <summary>The award shown for a team: what was typed, else the one proposed.</summary>
    public string? AwardOf(string teamId) => Awards.GetValueOrDefault(teamId);

    /// <summary>First, second and third prize (in the page's language) for the entries ranked 1 to 3, unless awards were typed.</summary>
    private void ProposeAwards()
    {
        if (Request.Method == HttpMethods.Post && Request.Query["handler"] == "Publish" || Standings is null)
        {
            return;
        }
        Awards = Standings.Items.Where(s => s.Rank is >= 1 and <= 3)
            .ToDictionary(s => s.TeamId, s => (string?)text["Judging.Award." + s.Rank!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)].Value,
                StringComparer.Ordinal);
    }

    /// <summary>The contest, its judges, approved teams and standings for an organiser; false (with the page's status) otherwise.</summary>
    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        if (!IsOrganiser)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return false;
        }
        Contest = (await contests.GetAsync(id, cancellationToken)).Value;
        if (Contest is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }
        Judges = (await judging.ListJudgesAsync(Person.Principal, id, cancellationToken)).Value?.Items ?? [];
        ApprovedTeams = [.. ((await teams.ListAsync(Person.Principal, id, cancellationToken)).Value?.Items ?? []).Where(t => t.Status == TeamService.Approved)];
        Standings = (await results.StandingsAsync(Person.Principal, id, cancellationToken)).Value;
        return true;
    }
}
