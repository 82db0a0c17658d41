using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenData.Platform.Auth;

/// <summary>
/// The scheme of requests that carry no credentials: nobody is authenticated, and nothing is parsed. Its challenge is the
/// answer to "this needs a token": 401 with <c>WWW-Authenticate: Bearer</c> and no error code (RFC 6750 §3.1: the request
/// held no credentials); the problem body is written by the status-code page.
/// </summary>
internal sealed class AnonymousHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "OpenData.Anonymous";

    /// <summary>The challenge every credential-less refusal carries.</summary>
    public const string Challenge = "Bearer realm=\"OpenData\"";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Challenge;
        return Task.CompletedTask;
    }
}
