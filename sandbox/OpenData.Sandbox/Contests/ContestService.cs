using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using OpenData.Platform.Audit;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;

namespace OpenData.Sandbox.Contests;

/// <summary>
/// Contests themselves: the organiser (a platform operator) creates and edits one; everyone lists the public ones and reads any
/// by id (an invite-only contest is reached by its link, not listed). Every change is audited.
/// </summary>
internal sealed partial class ContestService(ContestStore store, TeamStore teams, TenancyService tenancy, DatasetDirectory directory, TimeProvider clock)
{
    public const string Public = "public";
    public const string Invite = "invite";
    public const string Auto = "auto";
    public const string Manual = "manual";

    /// <summary>The rubric a contest gets when it names none: four criteria, weights summing to 1.</summary>
    public static readonly IReadOnlyList<RubricCriterion> DefaultRubric =
    [
        new("innovation", 0.3), new("public value", 0.3), new("use of data", 0.2), new("execution", 0.2),
    ];

    /// <summary>The terms a contest gets when it states none.</summary>
    public const string DefaultRules =
        "Teams use the contest's data only through the platform's sandbox and only for this contest; they do not try to re-identify anyone "
        + "or reverse the desensitisation; what they submit is their own work. Live data needs an access request after the contest.";

    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task<Outcome<Contest>> CreateAsync(ClaimsPrincipal user, NewContest? body, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return Refusal.BadRequest(CommonErrors.Validation, "send the contest as JSON: {title, description, startsAt, endsAt, datasets[], …}");
        }
        var now = clock.GetUtcNow();
        var row = new ContestRow
        {
            Id = body.Id?.Trim() ?? "contest-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
            TermsVersion = 1,
            CreatedBy = user.Actor(),
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        var errors = new InputErrors();
        if (!IdPattern().IsMatch(row.Id))
        {
            errors.Add("id", "id is 3 to 64 lowercase letters, digits and hyphens, starting with a letter (for example 'ningbo-2026')");
        }
        await ApplyAsync(row, body, errors, creating: true, cancellationToken);
        if (errors.Count > 0)
        {
            return errors.ToRefusal();
        }
        var entry = new AuditEvent("contest.created", user.TenantId(), user.Actor(), null, null, row.Id,
            AuditDetails.Of(("contest", row.Id), ("title", row.Title), ("datasets", row.DatasetList), ("visibility", row.Visibility), ("approval", row.Approval),
                ("startsAt", row.StartsAt), ("registrationEndsAt", row.RegistrationEndsAt), ("submissionEndsAt", row.SubmissionEndsAt), ("endsAt", row.EndsAt)));
        if (!await store.InsertAsync(row, entry, cancellationToken))
        {
            return Refusal.Conflict(ContestErrors.Exists, $"a contest with id '{row.Id}' exists already: choose another id");
        }
        return row.ToContest(now);
    }

    public async Task<Outcome<Contest>> UpdateAsync(ClaimsPrincipal user, string id, NewContest? body, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return Refusal.BadRequest(CommonErrors.Validation, "send the fields to change as JSON, for example {\"submissionEndsAt\": \"2026-10-31T16:00:00Z\"}");
        }
        var found = await store.FindAsync(id, cancellationToken);
        if (found is null)
        {
            return NotFound(id);
        }
        if (found.ResultsPublishedAt is not null)
        {
            return Refusal.Conflict(ContestErrors.ResultsPublished, $"contest '{id}' published its results on {found.ResultsPublishedAt:u}: it can no longer change");
        }
        if (body.Id is not null && body.Id != id)
        {
            return Refusal.BadRequest(CommonErrors.Validation, "a contest's id does not change: leave 'id' out");
        }
        if (body.Rubric is not null && await store.HasScoresAsync(id, cancellationToken))
        {
            return Refusal.Conflict(ContestErrors.RubricLocked, $"judges have scored contest '{id}': its rubric can no longer change");
        }
        var row = found.Clone();
        var errors = new InputErrors();
        await ApplyAsync(row, body, errors, creating: false, cancellationToken);
        if (errors.Count > 0)
        {
            return errors.ToRefusal();
        }
        var now = clock.GetUtcNow();
        if (row.Rules != found.Rules)
        {
            row.TermsVersion = found.TermsVersion + 1;
        }
        row.UpdatedAt = now;
        row.Version = found.Version + 1;
        var changed = Changed(found, row);
        var entry = new AuditEvent("contest.updated", user.TenantId(), user.Actor(), null, null, id,
            AuditDetails.Of(("contest", id), ("changed", changed), ("termsVersion", row.TermsVersion), ("datasets", row.DatasetList)));
        if (!await store.UpdateAsync(row, found.Version, entry, cancellationToken))
        {
            return Refusal.Conflict(ContestErrors.Conflict, $"contest '{id}' changed while this edit was made: read it again and repeat the change");
        }
        if (row.Datasets != found.Datasets)
        {
            // Teams' sandbox apps read the contest's datasets: the new list applies to their next request.
            foreach (var team in await teams.ListAsync(id, null, CancellationToken.None))
            {
                if (team.HasApp)
                {
                    await tenancy.SetAppBoundsAsync(team.AppId!, new AppBounds(TeamService.ContestPlan, row.DatasetList), CancellationToken.None);
                }
            }
        }
        return row.ToContest(now);
    }

    /// <summary>The contests a caller sees listed: public ones for everyone, every one for an operator.</summary>
    public async Task<ContestList> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var all = await store.ListAsync(cancellationToken);
        var operatorCaller = user.HasScope(Scopes.PlatformAdmin);
        return new ContestList(all.Where(c => operatorCaller || c.Visibility == Public).Select(c => c.ToContest(now)).ToList());
    }

    /// <summary>A contest by id (an invite-only one too: its link is the invitation).</summary>
    public async Task<Outcome<Contest>> GetAsync(string id, CancellationToken cancellationToken)
    {
        var found = await store.FindAsync(id, cancellationToken);
        return found is null ? NotFound(id) : found.ToContest(clock.GetUtcNow());
    }

    /// <summary>The row of a contest, or its 404.</summary>
    public async Task<Outcome<ContestRow>> FindAsync(string id, CancellationToken cancellationToken)
    {
        var found = await store.FindAsync(id, cancellationToken);
        return found is null ? NotFound(id) : found;
    }

    public static Refusal NotFound(string id) => Refusal.NotFound(ContestErrors.NotFound, $"no contest has id '{id}': GET /v1/contests lists them");

    private async Task ApplyAsync(ContestRow row, NewContest body, InputErrors errors, bool creating, CancellationToken cancellationToken)
    {
        Text(body.Title, "title", 200, creating, errors, v => row.Title = v);
        Text(body.Description, "description", 20_000, creating, errors, v => row.Description = v);
        Optional(body.TitleEn, "titleEn", 200, errors, v => row.TitleEn = v);
        Optional(body.DescriptionEn, "descriptionEn", 20_000, errors, v => row.DescriptionEn = v);
        if (body.Rules is not null || creating)
        {
            var rules = body.Rules?.Trim();
            if (body.Rules is not null && string.IsNullOrEmpty(rules))
            {
                errors.Add("rules", "rules may not be empty: leave them out for the platform's standard terms");
            }
            else if (rules is { Length: > 50_000 })
            {
                errors.Add("rules", "rules are at most 50,000 characters");
            }
            else
            {
                row.Rules = rules ?? DefaultRules;
            }
        }
        if (body.Tracks is not null || creating)
        {
            var tracks = (body.Tracks ?? []).Select(t => t?.Trim() ?? "").ToList();
            if (tracks.Any(t => t.Length is 0 or > 100) || tracks.Distinct(StringComparer.OrdinalIgnoreCase).Count() != tracks.Count || tracks.Count > 20)
            {
                errors.Add("tracks", "tracks are up to 20 distinct names of 1 to 100 characters");
            }
            else
            {
                row.Tracks = ContestRow.ToJson(tracks);
            }
        }
        if (body.Datasets is not null || creating)
        {
            var datasets = (body.Datasets ?? []).Select(d => d?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
            if (datasets.Count == 0)
            {
                errors.Add("datasets", "name at least one dataset in scope (ids from GET /v1/datasets)");
            }
            foreach (var dataset in datasets)
            {
                if (dataset.Length == 0 || await directory.FindAsync(dataset, cancellationToken) is null)
                {
                    errors.Add("datasets", $"no dataset has id '{dataset}': GET /v1/datasets lists them");
                }
            }
            row.Datasets = ContestRow.ToJson(datasets);
        }
        Date(body.StartsAt, "startsAt", creating, errors, v => row.StartsAt = v);
        Date(body.EndsAt, "endsAt", creating, errors, v => row.EndsAt = v);
        if (body.SubmissionEndsAt is { } submission)
        {
            row.SubmissionEndsAt = submission.ToUniversalTime();
        }
        else if (creating)
        {
            row.SubmissionEndsAt = row.EndsAt;
        }
        if (body.RegistrationEndsAt is { } registration)
        {
            row.RegistrationEndsAt = registration.ToUniversalTime();
        }
        else if (creating)
        {
            row.RegistrationEndsAt = row.SubmissionEndsAt;
        }
        if (body.JudgingEndsAt is { } judging)
        {
            row.JudgingEndsAt = judging.ToUniversalTime();
        }
        if (!errors.Has("startsAt") && !errors.Has("endsAt"))
        {
            if (row.StartsAt >= row.RegistrationEndsAt)
            {
                errors.Add("registrationEndsAt", "registration must close after it opens (startsAt < registrationEndsAt)");
            }
            if (row.RegistrationEndsAt > row.SubmissionEndsAt)
            {
                errors.Add("submissionEndsAt", "the submission deadline cannot come before registration closes (registrationEndsAt ≤ submissionEndsAt)");
            }
            if (row.SubmissionEndsAt > row.EndsAt)
            {
                errors.Add("endsAt", "the contest cannot end before its submission deadline (submissionEndsAt ≤ endsAt)");
            }
            if (row.JudgingEndsAt is { } j && (j < row.SubmissionEndsAt || j > row.EndsAt))
            {
                errors.Add("judgingEndsAt", "judging ends between the submission deadline and the end of the contest");
            }
        }
        if (body.TeamSizeLimit is { } size)
        {
            if (size is < 1 or > 50)
            {
                errors.Add("teamSizeLimit", "teamSizeLimit is 1 to 50 people");
            }
            row.TeamSizeLimit = size;
        }
        else if (creating)
        {
            row.TeamSizeLimit = 5;
        }
        if (body.Visibility is not null || creating)
        {
            var visibility = body.Visibility ?? Public;
            if (visibility is not (Public or Invite))
            {
                errors.Add("visibility", "visibility is 'public' (listed, anyone may register) or 'invite' (by link, e-mail domains on allowedDomains only)");
            }
            row.Visibility = visibility;
        }
        if (body.AllowedDomains is not null || creating)
        {
            var domains = (body.AllowedDomains ?? []).Select(d => (d ?? "").Trim().TrimStart('@').ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
            if (domains.Any(d => !DomainPattern().IsMatch(d)))
            {
                errors.Add("allowedDomains", "allowedDomains are e-mail domains such as 'nbu.edu.cn' (no '@', no address)");
            }
            row.AllowedDomains = ContestRow.ToJson(domains);
        }
        if (row.Visibility == Invite && row.DomainList.Count == 0 && !errors.Has("allowedDomains"))
        {
            errors.Add("allowedDomains", "an invite-only contest names the e-mail domains whose people may register (allowedDomains)");
        }
        if (body.Approval is not null || creating)
        {
            var approval = body.Approval ?? Auto;
            if (approval is not (Auto or Manual))
            {
                errors.Add("approval", "approval is 'auto' (teams get their sandbox credentials at once) or 'manual' (the organiser decides each team)");
            }
            row.Approval = approval;
        }
        if (body.Rubric is not null || creating)
        {
            var rubric = body.Rubric ?? DefaultRubric;
            if (rubric.Count is 0 or > 20)
            {
                errors.Add("rubric", "a rubric has 1 to 20 criteria");
            }
            else if (rubric.Any(c => string.IsNullOrWhiteSpace(c?.Name) || c.Name.Trim().Length > 100))
            {
                errors.Add("rubric", "every criterion has a name of 1 to 100 characters");
            }
            else if (rubric.Select(c => c.Name.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count() != rubric.Count)
            {
                errors.Add("rubric", "criteria names are distinct");
            }
            else if (rubric.Any(c => !(c.Weight > 0 && c.Weight <= 1000) || !(c.Max > 0 && c.Max <= 1000)))
            {
                errors.Add("rubric", "each criterion's weight and max are positive numbers (up to 1000); weights are relative, they need not sum to 1");
            }
            else
            {
                row.Rubric = ContestRow.ToJson(rubric.Select(c => c with { Name = c.Name.Trim() }).ToList());
            }
        }
    }

    private static List<string> Changed(ContestRow before, ContestRow after)
    {
        var changed = new List<string>();
        foreach (var property in typeof(ContestRow).GetProperties().Where(p => p.CanWrite))
        {
            if (property.Name is nameof(ContestRow.UpdatedAt) or nameof(ContestRow.Version) or nameof(ContestRow.TermsVersion))
            {
                continue;
            }
            if (!Equals(property.GetValue(before), property.GetValue(after)))
            {
                changed.Add(char.ToLowerInvariant(property.Name[0]) + property.Name[1..]);
            }
        }
        return changed;
    }

    private static void Text(string? value, string field, int max, bool required, InputErrors errors, Action<string> set)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(field, $"{field} is required");
            }
            return;
        }
        var trimmed = value.Trim();
        if (trimmed.Length == 0 || trimmed.Length > max)
        {
            errors.Add(field, $"{field} is 1 to {max:N0} characters");
            return;
        }
        set(trimmed);
    }

    private static void Optional(string? value, string field, int max, InputErrors errors, Action<string?> set)
    {
        if (value is null)
        {
            return;
        }
        var trimmed = value.Trim();
        if (trimmed.Length > max)
        {
            errors.Add(field, $"{field} is at most {max:N0} characters");
            return;
        }
        set(trimmed.Length == 0 ? null : trimmed);
    }

    private static void Date(DateTimeOffset? value, string field, bool required, InputErrors errors, Action<DateTimeOffset> set)
    {
        if (value is { } v)
        {
            set(v.ToUniversalTime());
        }
        else if (required)
        {
            errors.Add(field, $"{field} is required (an ISO 8601 instant such as 2026-06-01T00:00:00+08:00)");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{2,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^(?=.{3,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")]
    private static partial Regex DomainPattern();
}
