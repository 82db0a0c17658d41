using System.Net.Http.Headers;

namespace OpenData.Tests.Infrastructure;

/// <summary>
/// Puts a real access token on each request that carries no <c>Authorization</c> of its own, fetching it on the first send
/// (so <see cref="PlatformHost.As"/> stays synchronous) and again once it is due for renewal.
/// </summary>
internal sealed class BearerTokenHandler(Func<CancellationToken, Task<string>> token) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", await token(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
