using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Contests;

/// <summary>What the team's pages share: the form's name for its field texts, where a refusal naming no field belongs, and members as typed.</summary>
internal static class TeamForms
{
    /// <summary>The form's name in the resources' field texts (<c>Field.Team.{field}</c>).</summary>
    public const string Form = "Team";

    /// <summary>The field beside which a refusal of registration or of a change is shown.</summary>
    public static readonly IReadOnlyDictionary<string, string> CodeFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [TeamErrors.TermsNotAccepted] = "acceptTerms",
        [TeamErrors.TeamTooLarge] = "members",
        [TeamErrors.NotInvited] = "members",
        [TeamErrors.MemberTaken] = "members",
        [TeamErrors.NameTaken] = "name",
    };

    /// <summary>The e-mails typed, one a line (commas and spaces separate too).</summary>
    public static List<string> Members(string? text) =>
        [.. (text ?? "").Split(['\n', '\r', ',', '，', ';', '；', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
