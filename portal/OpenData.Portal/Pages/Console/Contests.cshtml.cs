using OpenData.Portal.Developer;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The console's contests: the contests the person may take part in, with their phase (a team registers while registration is
/// open) and their tenant's teams; for the platform's operators, every contest (invite-only ones too) to organise, and a new one
/// to create.
/// </summary>
internal sealed class ContestsModel(ContestService contests, TeamService teams) : ConsolePageModel
{
    public IReadOnlyList<Contest> Items { get; private set; } = [];

    /// <summary>The person's tenant's teams, across contests.</summary>
    public IReadOnlyList<Team> Teams { get; private set; } = [];

    public bool IsOrganiser => Person.IsOperator && Holds(Platform.Identity.Scopes.PlatformAdmin);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Items = (await contests.ListAsync(Person.Principal, cancellationToken)).Items;
        Teams = Person.IsConsumerTenant ? await teams.OfTenantAsync(Person.Tenant.Id, cancellationToken) : [];
    }
}
