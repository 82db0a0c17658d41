using OpenData.Platform.Common;

namespace OpenData.Sandbox.Contests;

/// <summary>Error codes of contest registration and teams.</summary>
internal static class TeamErrors
{
    [ErrorCode(404, "no team of this contest has this id (or it is not the caller's)")]
    public const string NotFound = "contest.team_not_found";

    [ErrorCode(409, "registration is not open now (before the contest starts or after registration closes): the detail gives the dates")]
    public const string RegistrationClosed = "contest.registration_closed";

    [ErrorCode(400, "the team must accept the contest's terms (acceptTerms: true) to register")]
    public const string TermsNotAccepted = "contest.terms_not_accepted";

    [ErrorCode(400, "the team has more members than the contest's team size limit")]
    public const string TeamTooLarge = "contest.team_too_large";

    [ErrorCode(403, "the contest is invite-only and a member's e-mail is not in one of its allowed domains")]
    public const string NotInvited = "contest.not_invited";

    [ErrorCode(403, "only a consumer tenant (a company, team or person using data) registers a team; data owners and the platform do not")]
    public const string ConsumersOnly = "contest.consumers_only";

    [ErrorCode(409, "another team of this contest has this name")]
    public const string NameTaken = "contest.team_name_taken";

    [ErrorCode(409, "a member is in another team of this contest already (one team per person)")]
    public const string MemberTaken = "contest.member_taken";

    [ErrorCode(409, "the team was decided already (approved or rejected)")]
    public const string AlreadyDecided = "contest.team_already_decided";

    [ErrorCode(409, "the team is not approved: only an approved team gets credentials and submits")]
    public const string NotApproved = "contest.team_not_approved";
}
