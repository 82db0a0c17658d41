using System.Security.Claims;
using OpenData.Platform.Identity;

namespace OpenData.Sandbox.Contests;

/// <summary>
/// The person behind a caller, for what only a person does in a contest (be a team member, judge): the portal's signed-in person
/// (the sign-in cookie: <c>sub</c> is the member id, no <c>client_id</c>) or a person's own token (authorisation code: <c>sub</c>
/// is the member id, <c>client_id</c> the app acting for them). An app's client-credentials token (<c>sub</c> is its client id)
/// is nobody.
/// </summary>
internal static class ContestPerson
{
    /// <summary>The member id of the person behind <paramref name="user"/>, or null when the caller is an app or anonymous.</summary>
    public static string? MemberIdOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var subject = user.FindFirst(PlatformClaims.Subject)?.Value;
        return string.IsNullOrEmpty(subject) || string.Equals(subject, user.FindFirst(PlatformClaims.ClientId)?.Value, StringComparison.Ordinal) ? null : subject;
    }
}
