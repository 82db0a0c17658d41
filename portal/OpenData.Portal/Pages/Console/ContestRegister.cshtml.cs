using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Portal.Contests;
using OpenData.Portal.Developer;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// Registering a team (as <c>POST /v1/contests/{id}/teams</c>, <see cref="TeamService.RegisterAsync"/>): the team's name, its
/// members' e-mails (the signed-in person is one without being named), the track, and the contest's terms shown and accepted.
/// The service's refusals are shown beside the fields; a team approved at once gets its sandbox credentials, shown this once.
/// Only a consumer tenant's people register (others are told so, 403); a tenant's teams of this contest are linked.
/// </summary>
internal sealed class ContestRegisterModel(ContestService contests, TeamService teams) : ConsolePageModel
{
    public string Id { get; private set; } = "";

    public Contest? Contest { get; private set; }

    /// <summary>The tenant's teams of this contest already registered.</summary>
    public IReadOnlyList<Team> OwnTeams { get; private set; } = [];

    /// <summary>The team just registered, and its credentials when it was approved at once (shown this once).</summary>
    public TeamRegistered? Registered { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Members { get; set; }

    [BindProperty]
    public string? Track { get; set; }

    [BindProperty]
    public bool AcceptTerms { get; set; }

    /// <summary>Whether the person's tenant may register (a consumer tenant: a company, team or person using data).</summary>
    public bool MayRegister => Person.IsConsumerTenant;

    public bool RegistrationOpen => Contest?.Phase == ContestPhases.Registration;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return Page();
        }
        var registered = await teams.RegisterAsync(Person.Principal, id, new NewTeam(Name, TeamForms.Members(Members), Blank(Track), AcceptTerms), cancellationToken);
        if (registered.Refusal is { } refusal)
        {
            return Refused(TeamForms.Form, refusal, TeamForms.CodeFields);
        }
        Registered = registered.Value;
        OwnTeams = (await teams.ListAsync(Person.Principal, id, cancellationToken)).Value?.Items ?? [];
        return Page();
    }

    /// <summary>Reads the contest and the tenant's teams of it; false (with the page's status) when there is no contest or the tenant may not register.</summary>
    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        Contest = (await contests.GetAsync(id, cancellationToken)).Value;
        if (Contest is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }
        if (!MayRegister)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return false;
        }
        OwnTeams = (await teams.ListAsync(Person.Principal, id, cancellationToken)).Value?.Items ?? [];
        return true;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
