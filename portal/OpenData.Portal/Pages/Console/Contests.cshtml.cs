using OpenData.Portal.Developer;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The console's contests: the contests the person may take part in, with their phase (a team registers while registration is
/// open), their tenant's teams and the contests they judge; for the platform's operators, every contest (invite-only ones too) to organise, and a new one
/// to create.
/// </summary>
internal sealed class ContestsModel(ContestService contests, TeamService teams, JudgingService judging) : ConsolePageModel
{
    public IReadOnlyList<Contest> Items { get; private set; } = [];

    /// <summary>The person's tenant's teams, across contests.</summary>
    public IReadOnlyList<Team> Teams { get; private set; } = [];

    /// <summary>The contests the person judges (an invite-only one too).</summary>
    public IReadOnlyList<Contest> Judged { get; private set; } = [];

    public bool IsOrganiser => Person.IsOperator && Holds(Platform.Identity.Scopes.PlatformAdmin);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Items = (await contests.ListAsync(Person.Principal, cancellationToken)).Items;
        Teams = Person.IsConsumerTenant ? await teams.OfTenantAsync(Person.Tenant.Id, cancellationToken) : [];
        var judged = new List<Contest>();
        foreach (var id in await judging.JudgedByAsync(Person.Principal, cancellationToken))
        {
            if ((await contests.GetAsync(id, cancellationToken)).Value is { } contest)
            {
                judged.Add(contest);
            }
        }
        Judged = judged;
    }
}
