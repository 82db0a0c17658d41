using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenData.Platform.Hosting;

namespace OpenData.Platform.Auth;

/// <summary>
/// The default scheme until the token server (issue 3) exists: it authenticates nobody, and answers challenges and
/// refusals with problem details, so every protected endpoint already behaves as it will.
/// </summary>
internal sealed class TokenRequiredHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Create(StatusCodes.Status401Unauthorized, "auth.token_required", "Authentication required",
            "this endpoint needs an access token: send Authorization: Bearer <token>").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => PlatformAuth.WriteForbiddenAsync(Context);
}
