using System.Net.Mail;
using System.Security.Claims;
using OpenData.Platform.Audit;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;
using OpenData.Platform.Webhooks;

namespace OpenData.Sandbox.Contests;

/// <summary>
/// Registration and teams. A consumer tenant registers a team while registration is open (its members by e-mail, one team per
/// person and contest, within the size limit; for an invite-only contest every member's e-mail domain on the allow-list; the
/// terms accepted, with their version). On approval — at once when the contest approves automatically, otherwise by the
/// organiser with a reason — the team gets a sandbox app of its tenant bound to the <c>contest</c> plan and to the contest's
/// datasets. Every step is audited; a decision is sent to the team's tenant as <c>contest.registration_decided</c>.
/// </summary>
internal sealed class TeamService(
    ContestStore contests, TeamStore teams, TenancyStore tenancyStore, TenancyService tenancy, TimeProvider clock)
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    /// <summary>The plan of every team's sandbox app.</summary>
    public const string ContestPlan = "contest";

    /// <summary>The scopes of a team's sandbox app: read the data, and ask for live access when it wins.</summary>
    public static readonly IReadOnlyList<string> TeamScopes = [Scopes.CatalogueRead, Scopes.RecordsRead, Scopes.AccessRequest];

    public async Task<Outcome<TeamRegistered>> RegisterAsync(ClaimsPrincipal user, string contestId, NewTeam? body, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return Refusal.BadRequest(CommonErrors.Validation, "send the team as JSON: {name, members: [e-mail, …], track?, acceptTerms: true}");
        }
        var contest = await contests.FindAsync(contestId, cancellationToken);
        if (contest is null)
        {
            return ContestService.NotFound(contestId);
        }
        var tenantId = user.TenantId();
        var tenant = tenantId is null ? null : await tenancyStore.TenantAsync(tenantId, cancellationToken);
        if (tenant is null || tenant.Kind != "consumer")
        {
            return Refusal.Forbidden(TeamErrors.ConsumersOnly,
                $"only a consumer tenant registers a team; '{tenantId}' is {(tenant is null ? "not a tenant" : "a " + tenant.Kind + " tenant")}");
        }
        var now = clock.GetUtcNow();
        if (Closed(contest, now) is { } closed)
        {
            return closed;
        }
        if (body.AcceptTerms != true)
        {
            return Refusal.BadRequest(TeamErrors.TermsNotAccepted,
                $"accept the contest's terms (version {contest.TermsVersion}, in 'rules' of GET /v1/contests/{contest.Id}) with \"acceptTerms\": true");
        }
        var person = await PersonEmailAsync(user, cancellationToken);
        var checkedTeam = Check(contest, body.Name, body.Members, body.Track, person, requireName: true);
        if (checkedTeam.Refusal is { } invalid)
        {
            return invalid;
        }
        var (name, members, track) = checkedTeam.Value!;
        var automatic = contest.Approval == ContestService.Auto;
        var team = new TeamRow
        {
            Id = TeamStore.NewId(),
            ContestId = contest.Id,
            TenantId = tenant.Id,
            Name = name!,
            NameKey = NameKey(name!),
            Track = track,
            Status = automatic ? Approved : Pending,
            TermsVersion = contest.TermsVersion,
            TermsAcceptedBy = user.Actor(),
            TermsAcceptedAt = now,
            RegisteredBy = user.Actor(),
            RegisteredAt = now,
            DecidedBy = automatic ? "auto" : null,
            DecidedAt = automatic ? now : null,
            EntryCode = TeamStore.NewEntryCode(),
            Version = 1,
        };
        var entry = Event(user, "contest.team_registered", team, ("members", members.Count), ("termsVersion", team.TermsVersion), ("status", team.Status));
        var (clash, member) = await teams.InsertAsync(team, members, entry, automatic ? DecidedNotice(team) : null, cancellationToken);
        if (Clashed(clash, member, team.Name) is { } refused)
        {
            return refused;
        }
        var credentials = automatic ? await MakeAppAsync(user, contest, team, cancellationToken) : null;
        return new TeamRegistered(team.ToTeam(members, credentials?.ClientId), credentials);
    }

    public async Task<Outcome<Team>> DecideAsync(ClaimsPrincipal user, string contestId, string teamId, TeamDecision? body, CancellationToken cancellationToken)
    {
        if (body is null || body.Decision is not (Approved or "approve" or Rejected or "reject"))
        {
            return Refusal.BadRequest(CommonErrors.Validation, "decide with {\"decision\": \"approve\" or \"reject\", \"reason\": \"…\"} (a reason is required to reject)");
        }
        var approve = body.Decision is Approved or "approve";
        var reason = body.Reason?.Trim();
        if (!approve && string.IsNullOrEmpty(reason))
        {
            return Refusal.BadRequest(CommonErrors.Validation, "say why the team is rejected (reason): the team reads it");
        }
        if (reason is { Length: > 2000 })
        {
            return Refusal.BadRequest(CommonErrors.Validation, "a reason is at most 2,000 characters");
        }
        var contest = await contests.FindAsync(contestId, cancellationToken);
        if (contest is null)
        {
            return ContestService.NotFound(contestId);
        }
        var found = await teams.FindAsync(contestId, teamId, cancellationToken);
        if (found is null)
        {
            return TeamNotFound(contestId, teamId);
        }
        if (found.Status != Pending)
        {
            return Refusal.Conflict(TeamErrors.AlreadyDecided, $"team '{teamId}' was {found.Status} on {found.DecidedAt:u}; a decision is taken once");
        }
        var team = found.Clone();
        team.Status = approve ? Approved : Rejected;
        team.DecidedBy = user.Actor();
        team.DecidedAt = clock.GetUtcNow();
        team.DecisionReason = string.IsNullOrEmpty(reason) ? null : reason;
        team.Version = found.Version + 1;
        var entry = Event(user, "contest.team_decided", team, ("decision", team.Status), ("reason", team.DecisionReason));
        var (clash, _) = await teams.UpdateAsync(team, found.Version, null, entry, DecidedNotice(team), cancellationToken);
        if (clash != TeamStore.Clash.None)
        {
            return Refusal.Conflict(TeamErrors.AlreadyDecided, $"team '{teamId}' changed while this decision was taken: read it again");
        }
        AppCredentials? made = null;
        if (approve)
        {
            // The app is made now, its secret shown to nobody: the team issues its own with POST …/credentials.
            made = await MakeAppAsync(user, contest, team, cancellationToken);
        }
        var members = await teams.MembersAsync(contestId, cancellationToken);
        return team.ToTeam(members[team.Id].ToList(), made?.ClientId);
    }

    /// <summary>The team's sandbox client id and a new secret (the old stops working), for the team's tenant; made if missing.</summary>
    public async Task<Outcome<AppCredentials>> CredentialsAsync(ClaimsPrincipal user, string contestId, string teamId, CancellationToken cancellationToken)
    {
        var contest = await contests.FindAsync(contestId, cancellationToken);
        if (contest is null)
        {
            return ContestService.NotFound(contestId);
        }
        var team = await teams.FindAsync(contestId, teamId, cancellationToken);
        if (team is null || team.TenantId != user.TenantId())
        {
            return TeamNotFound(contestId, teamId);
        }
        if (team.Status != Approved)
        {
            return Refusal.Conflict(TeamErrors.NotApproved, $"team '{teamId}' is {team.Status}: credentials come with the organiser's approval");
        }
        if (!team.HasApp)
        {
            var made = await MakeAppAsync(user, contest, team, cancellationToken);
            if (made is not null)
            {
                return made;
            }
            team = (await teams.FindAsync(contestId, teamId, cancellationToken))!;
            if (!team.HasApp)
            {
                return Refusal.Conflict(TeamErrors.NotApproved, $"team '{teamId}''s sandbox app is being made right now: ask again in a moment");
            }
        }
        var rotated = await tenancy.RotateSecretAsync(user, team.AppId!, cancellationToken);
        if (rotated.Refusal is { } refusal)
        {
            return refusal;
        }
        return rotated.Value!;
    }

    public async Task<Outcome<TeamList>> ListAsync(ClaimsPrincipal user, string contestId, CancellationToken cancellationToken)
    {
        var contest = await contests.FindAsync(contestId, cancellationToken);
        if (contest is null)
        {
            return ContestService.NotFound(contestId);
        }
        var organiser = user.HasScope(Scopes.PlatformAdmin);
        var tenantId = user.TenantId();
        if (!organiser && tenantId is null)
        {
            return new TeamList([]);
        }
        var rows = await teams.ListAsync(contestId, organiser ? null : tenantId, cancellationToken);
        return new TeamList(await ToTeamsAsync(contestId, rows, cancellationToken));
    }

    public async Task<Outcome<Team>> GetAsync(ClaimsPrincipal user, string contestId, string teamId, CancellationToken cancellationToken)
    {
        var team = await teams.FindAsync(contestId, teamId, cancellationToken);
        if (team is null || !(user.HasScope(Scopes.PlatformAdmin) || team.TenantId == user.TenantId()))
        {
            return await contests.FindAsync(contestId, cancellationToken) is null ? ContestService.NotFound(contestId) : TeamNotFound(contestId, teamId);
        }
        return (await ToTeamsAsync(contestId, [team], cancellationToken))[0];
    }

    /// <summary>The teams of the caller's tenant across contests (the participant's console).</summary>
    public async Task<IReadOnlyList<Team>> OfTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        var rows = await teams.OfTenantAsync(tenantId, cancellationToken);
        var result = new List<Team>();
        foreach (var contest in rows.GroupBy(r => r.ContestId, StringComparer.Ordinal))
        {
            result.AddRange(await ToTeamsAsync(contest.Key, contest.ToList(), cancellationToken));
        }
        return result;
    }

    public async Task<Outcome<Team>> UpdateAsync(ClaimsPrincipal user, string contestId, string teamId, TeamPatch? body, CancellationToken cancellationToken)
    {
        if (body is null || (body.Name is null && body.Members is null && body.Track is null))
        {
            return Refusal.BadRequest(CommonErrors.Validation, "send what changes: {name?, members?: [e-mail, …] (the whole new list), track?}");
        }
        var contest = await contests.FindAsync(contestId, cancellationToken);
        if (contest is null)
        {
            return ContestService.NotFound(contestId);
        }
        var found = await teams.FindAsync(contestId, teamId, cancellationToken);
        if (found is null || found.TenantId != user.TenantId())
        {
            return TeamNotFound(contestId, teamId);
        }
        if (Closed(contest, clock.GetUtcNow()) is { } closed)
        {
            return closed;
        }
        var person = body.Members is null ? null : await PersonEmailAsync(user, cancellationToken);
        var checkedTeam = Check(contest, body.Name, body.Members, body.Track, person, requireName: false);
        if (checkedTeam.Refusal is { } invalid)
        {
            return invalid;
        }
        var (name, members, track) = checkedTeam.Value!;
        var team = found.Clone();
        if (name is not null)
        {
            team.Name = name;
            team.NameKey = NameKey(name);
        }
        if (body.Track is not null)
        {
            team.Track = track;
        }
        team.Version = found.Version + 1;
        var entry = Event(user, "contest.team_updated", team, ("name", name is not null), ("members", body.Members is null ? null : members.Count), ("track", track));
        var (clash, member) = await teams.UpdateAsync(team, found.Version, body.Members is null ? null : members, entry, null, cancellationToken);
        if (Clashed(clash, member, team.Name) is { } refused)
        {
            return refused;
        }
        return (await ToTeamsAsync(contestId, [team], cancellationToken))[0];
    }

    public static Refusal TeamNotFound(string contestId, string teamId) =>
        Refusal.NotFound(TeamErrors.NotFound, $"contest '{contestId}' has no team '{teamId}' of yours: GET /v1/contests/{contestId}/teams lists your teams");

    private static Refusal? Closed(ContestRow contest, DateTimeOffset now) => ContestPhases.RegistrationOpen(contest, now)
        ? null
        : Refusal.Conflict(TeamErrors.RegistrationClosed, now < contest.StartsAt
            ? $"registration for '{contest.Id}' opens at {contest.StartsAt:u}"
            : $"registration for '{contest.Id}' closed at {contest.RegistrationEndsAt:u}; the contest is in its {ContestPhases.Of(contest, now)} phase");

    private static Refusal? Clashed(TeamStore.Clash clash, string? member, string name) => clash switch
    {
        TeamStore.Clash.None => null,
        TeamStore.Clash.Name => Refusal.Conflict(TeamErrors.NameTaken, $"another team of this contest is called '{name}': choose another name"),
        TeamStore.Clash.Member => Refusal.Conflict(TeamErrors.MemberTaken, $"{member} is in another team of this contest already: one team per person"),
        _ => Refusal.Conflict(TeamErrors.NameTaken, "the team changed while this change was made: read it again and repeat the change"),
    };

    /// <summary>The name, the members (the signed-in person added) and the track, checked against the contest's rules.</summary>
    private static Outcome<(string? Name, List<string> Members, string? Track)> Check(
        ContestRow contest, string? rawName, IReadOnlyList<string>? rawMembers, string? rawTrack, string? person, bool requireName)
    {
        var errors = new InputErrors();
        var name = rawName?.Trim();
        if ((requireName || rawName is not null) && (string.IsNullOrEmpty(name) || name.Length > 100))
        {
            errors.Add("name", "a team's name is 1 to 100 characters");
        }
        var members = new List<string>();
        foreach (var raw in (rawMembers ?? []).Append(person))
        {
            if (raw is null)
            {
                continue;
            }
            var email = raw.Trim().ToLowerInvariant();
            if (!MailAddress.TryCreate(email, out var address) || address.Address != email || !email.Contains('.', StringComparison.Ordinal))
            {
                errors.Add("members", $"'{raw}' is not an e-mail address: members are listed by e-mail");
            }
            else if (!members.Contains(email))
            {
                members.Add(email);
            }
        }
        if (members.Count == 0 && (requireName || rawMembers is not null))
        {
            errors.Add("members", "a team has at least one member: list the members' e-mails");
        }
        var track = rawTrack?.Trim();
        if (!string.IsNullOrEmpty(track) && !contest.TrackList.Contains(track, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add("track", $"the contest's tracks are {(contest.TrackList.Count == 0 ? "none" : string.Join(", ", contest.TrackList))}");
        }
        else if (!string.IsNullOrEmpty(track))
        {
            track = contest.TrackList.First(t => string.Equals(t, track, StringComparison.OrdinalIgnoreCase));
        }
        if (errors.Count > 0)
        {
            return errors.ToRefusal();
        }
        if (members.Count > contest.TeamSizeLimit)
        {
            return Refusal.BadRequest(TeamErrors.TeamTooLarge,
                $"a team of contest '{contest.Id}' has at most {contest.TeamSizeLimit} members; this one has {members.Count}{(person is null ? "" : " (counting you)")}");
        }
        if (contest.Visibility == ContestService.Invite)
        {
            var domains = contest.DomainList;
            var outside = members.Where(m => !domains.Contains(m[(m.IndexOf('@', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal)).ToList();
            if (outside.Count > 0)
            {
                return Refusal.Forbidden(TeamErrors.NotInvited,
                    $"contest '{contest.Id}' is invite-only for e-mail addresses at {string.Join(", ", domains)}; not {string.Join(", ", outside)}");
            }
        }
        return (name, members, string.IsNullOrEmpty(track) ? null : track);
    }

    /// <summary>The e-mail of the person behind the caller (signed in, or a person's token), or null for an app's token.</summary>
    private async Task<string?> PersonEmailAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ContestPerson.MemberIdOf(user) is { } member ? (await tenancyStore.MemberAsync(member, null, cancellationToken))?.Email : null;

    /// <summary>
    /// Makes the team's sandbox app (bound to the contest plan and datasets) unless another request is making it; answers its
    /// credentials, or null when it was made (or is being made) elsewhere.
    /// </summary>
    private async Task<AppCredentials?> MakeAppAsync(ClaimsPrincipal user, ContestRow contest, TeamRow team, CancellationToken cancellationToken)
    {
        if (!await teams.ClaimAppAsync(team.Id, cancellationToken))
        {
            return null;
        }
        try
        {
            var name = $"{team.Name} · {contest.Title}";
            var credentials = await tenancy.CreateBoundAppAsync(team.TenantId,
                new NewApp(name.Length > 100 ? name[..100] : name, TeamScopes, PlatformClaims.SandboxEnvironment, []),
                new AppBounds(ContestPlan, contest.DatasetList), user.Actor(), CancellationToken.None);
            await teams.SetAppAsync(team.Id, credentials.Id, CancellationToken.None);
            team.AppId = credentials.Id;
            return credentials;
        }
        catch
        {
            await teams.SetAppAsync(team.Id, null, CancellationToken.None);
            throw;
        }
    }

    private async Task<List<Team>> ToTeamsAsync(string contestId, IReadOnlyList<TeamRow> rows, CancellationToken cancellationToken)
    {
        var members = await teams.MembersAsync(contestId, cancellationToken);
        var result = new List<Team>(rows.Count);
        foreach (var row in rows)
        {
            var clientId = row.HasApp ? (await tenancyStore.AppAsync(row.AppId!, row.TenantId, cancellationToken))?.ClientId : null;
            result.Add(row.ToTeam(members[row.Id].ToList(), clientId));
        }
        return result;
    }

    private static string NameKey(string name) => string.Join(' ', name.Normalize(System.Text.NormalizationForm.FormKC).ToUpperInvariant()
        .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static TeamStore.Notice DecidedNotice(TeamRow team) => new(team.TenantId, WebhookEvents.ContestRegistrationDecided,
        new { contest = team.ContestId, team = team.Id, name = team.Name, decision = team.Status, reason = team.DecisionReason });

    private static AuditEvent Event(ClaimsPrincipal user, string type, TeamRow team, params (string Key, object? Value)[] details) =>
        new(type, user.TenantId(), user.Actor(), null, null, team.Id,
            AuditDetails.Of([("contest", team.ContestId), ("team", team.Id), ("teamTenant", team.TenantId), .. details]));
}
