using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Contests;
using OpenData.Portal.Developer;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// A team's page, for its tenant (the organiser reads it too, without the team's forms): its status and the organiser's reason,
/// its sandbox credentials (a new secret issued by a button and shown once, as <c>POST …/teams/{teamId}/credentials</c>), its
/// members and the changes to them while registration is open (<see cref="TeamService.UpdateAsync"/>), the submission form with
/// its PDF (uploaded first, <see cref="SubmissionService.UploadAsync"/>, then <see cref="SubmissionService.SubmitAsync"/>) and every
/// version the team submitted; once the results are published, the team's place, and for a winning team its admins' "take it
/// live" (<see cref="ResultService.PromoteAsync"/>: a live app, its secret shown once, and draft access requests prefilled with
/// what the sandbox app read). Each form's refusals are shown beside its fields.
/// </summary>
internal sealed class ContestTeamModel(ContestService contests, TeamService teams, SubmissionService submissions, ResultService results) : ConsolePageModel
{
    /// <summary>Where a refusal naming no field is shown: beside the form it answers.</summary>
    public const string TeamForm = "team";
    public const string SubmissionForm = "submission";
    public const string CredentialsForm = "credentials";
    public const string LiveForm = "live";

    private static readonly Dictionary<string, string> SubmissionCodes = new(StringComparer.Ordinal)
    {
        [SubmissionErrors.NotPdf] = "attachment",
        [SubmissionErrors.TooLarge] = "attachment",
        [SubmissionErrors.Closed] = SubmissionForm,
        [TeamErrors.NotApproved] = SubmissionForm,
    };

    public string Id { get; private set; } = "";

    public string TeamId { get; private set; } = "";

    public Contest? Contest { get; private set; }

    public Team? Team { get; private set; }

    public IReadOnlyList<Submission> Versions { get; private set; } = [];

    /// <summary>A secret just issued, shown this once.</summary>
    public AppCredentials? Credentials { get; private set; }

    /// <summary>The team's line of the published leaderboard (null before publication).</summary>
    public LeaderboardEntry? Place { get; private set; }

    /// <summary>The winning app just taken live: its live credentials (shown this once) and the draft access requests.</summary>
    public WinnerPromotion? Promoted { get; private set; }

    /// <summary>Whether the person may take the team's app live: an admin of the team's tenant, the team holding an award, not taken live yet.</summary>
    public bool MayTakeLive => IsOwn && Person.IsAdmin && Place?.Award is not null && Team?.LiveAppId is null;

    /// <summary>What just happened: <c>updated</c> or <c>submitted</c>.</summary>
    public string? Done { get; private set; }

    /// <summary>Whether the team is the person's tenant's (the organiser sees it without the team's forms).</summary>
    public bool IsOwn => Team is not null && Team.TenantId == Person.Tenant.Id;

    public bool MayChange => IsOwn && Contest?.Phase == ContestPhases.Registration;

    public bool MaySubmit => IsOwn && Team?.Status == TeamService.Approved && Contest?.Phase is ContestPhases.Registration or ContestPhases.Build;

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Members { get; set; }

    [BindProperty]
    public string? Track { get; set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    /// <summary>The demo's address (field <c>url</c>; <c>Url</c> is the page's URL helper).</summary>
    [BindProperty(Name = "url")]
    public string? DemoUrl { get; set; }

    [BindProperty]
    public string? RepositoryUrl { get; set; }

    [BindProperty]
    public List<string> Datasets { get; set; } = [];

    [BindProperty]
    public IFormFile? Attachment { get; set; }

    /// <summary>A PDF uploaded by an earlier try of the form whose other fields were refused: it is submitted without being sent again.</summary>
    [BindProperty]
    public string? AttachmentId { get; set; }

    /// <summary>The file name of <see cref="AttachmentId"/>, to say which PDF is kept.</summary>
    [BindProperty]
    public string? AttachmentName { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, string teamId, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, teamId, cancellationToken))
        {
            FillTeamForm();
            FillSubmissionForm();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostCredentialsAsync(string id, string teamId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, teamId, cancellationToken) || !IsOwn)
        {
            return NotOwn();
        }
        FillTeamForm();
        FillSubmissionForm();
        var issued = await teams.CredentialsAsync(Person.Principal, id, teamId, cancellationToken);
        if (issued.Refusal is { } refusal)
        {
            return Refused(TeamForms.Form, refusal, new Dictionary<string, string> { [refusal.Code] = CredentialsForm });
        }
        Credentials = issued.Value;
        return Page();
    }

    public async Task<IActionResult> OnPostTakeLiveAsync(string id, string teamId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, teamId, cancellationToken) || !IsOwn)
        {
            return NotOwn();
        }
        FillTeamForm();
        FillSubmissionForm();
        if (!Person.IsAdmin)
        {
            return Refused(TeamForms.Form, AdminOnly(), new Dictionary<string, string> { [Platform.Common.CommonErrors.InsufficientScope] = LiveForm });
        }
        var promoted = await results.PromoteAsync(Person.Principal, id, teamId, cancellationToken);
        if (promoted.Refusal is { } refusal)
        {
            return Refused(TeamForms.Form, refusal, new Dictionary<string, string> { [refusal.Code] = LiveForm });
        }
        Promoted = promoted.Value;
        Team = (await teams.GetAsync(Person.Principal, id, teamId, cancellationToken)).Value ?? Team;
        return Page();
    }

    public async Task<IActionResult> OnPostUpdateAsync(string id, string teamId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, teamId, cancellationToken) || !IsOwn)
        {
            return NotOwn();
        }
        FillSubmissionForm();
        var updated = await teams.UpdateAsync(Person.Principal, id, teamId,
            new TeamPatch(Name ?? "", TeamForms.Members(Members), Track ?? ""), cancellationToken);
        if (updated.Refusal is { } refusal)
        {
            var fields = new Dictionary<string, string>(TeamForms.CodeFields, StringComparer.Ordinal) { [TeamErrors.RegistrationClosed] = TeamForm };
            return Refused(TeamForms.Form, refusal, fields);
        }
        Team = updated.Value;
        Done = "updated";
        FillTeamForm();
        return Page();
    }

    public async Task<IActionResult> OnPostSubmitAsync(string id, string teamId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, teamId, cancellationToken) || !IsOwn)
        {
            return NotOwn();
        }
        FillTeamForm();
        if (Attachment is { Length: > 0 } file)
        {
            await using var content = file.OpenReadStream();
            var uploaded = await submissions.UploadAsync(Person.Principal, id, teamId, file.FileName, content, cancellationToken);
            if (uploaded.Refusal is { } uploadRefusal)
            {
                return Refused("Submission", uploadRefusal, SubmissionCodes);
            }
            AttachmentId = uploaded.Value!.Id;
            AttachmentName = uploaded.Value.FileName;
        }
        var submitted = await submissions.SubmitAsync(Person.Principal, id,
            new NewSubmission(teamId, Title, Description, DemoUrl, Blank(RepositoryUrl), Datasets, Blank(AttachmentId)), cancellationToken);
        if (submitted.Refusal is { } refusal)
        {
            return Refused("Submission", refusal, SubmissionCodes);
        }
        Done = "submitted";
        Versions = (await submissions.ListAsync(Person.Principal, id, teamId, cancellationToken)).Value?.Items ?? [];
        ModelState.Clear();
        AttachmentId = null;
        AttachmentName = null;
        FillSubmissionForm(force: true);
        return Page();
    }

    /// <summary>The contest, the team (the tenant's, or any for the organiser) and its versions; false (404) when either is not there.</summary>
    private async Task<bool> LoadAsync(string id, string teamId, CancellationToken cancellationToken)
    {
        Id = id;
        TeamId = teamId;
        Contest = (await contests.GetAsync(id, cancellationToken)).Value;
        Team = Contest is null ? null : (await teams.GetAsync(Person.Principal, id, teamId, cancellationToken)).Value;
        if (Team is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }
        Versions = (await submissions.ListAsync(Person.Principal, id, teamId, cancellationToken)).Value?.Items ?? [];
        if (Contest!.ResultsPublishedAt is not null)
        {
            // Team names are unique within a contest: the leaderboard's line of this team.
            Place = (await results.LeaderboardAsync(id, cancellationToken)).Value?.Items.FirstOrDefault(l => l.TeamName == Team.Name);
        }
        return true;
    }

    private PageResult NotOwn()
    {
        if (Team is not null)
        {
            // The organiser reads a team but acts for none.
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        return Page();
    }

    /// <summary>The team form as the team is (unless a posted form is being shown again).</summary>
    private void FillTeamForm()
    {
        if (Team is null)
        {
            return;
        }
        Name = Team.Name;
        Track = Team.Track;
        // The person is a member without being named: the list holds the others.
        Members = string.Join('\n', Team.Members.Where(m => !string.Equals(m, Person.Email, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The submission form from the current version (a new version starts from it), unless a posted form is being shown again.</summary>
    private void FillSubmissionForm(bool force = false)
    {
        if (!force && Request.Method == HttpMethods.Post && Request.Query["handler"] == "Submit")
        {
            return;
        }
        var current = Versions.FirstOrDefault(v => v.Current);
        Title = current?.Title;
        Description = current?.Description;
        DemoUrl = current?.Url;
        RepositoryUrl = current?.RepositoryUrl;
        Datasets = current is null ? [] : [.. current.Datasets];
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
