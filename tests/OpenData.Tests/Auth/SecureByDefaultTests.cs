using Microsoft.AspNetCore.Authorization;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Auth;

/// <summary>
/// Every endpoint states who may call it: either anonymous access or an authorisation requirement. An endpoint added
/// without either fails here (the fallback policy would still demand a token, but the choice must be explicit).
/// </summary>
public sealed class SecureByDefaultTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    [Fact]
    public async Task Every_endpoint_carries_explicit_authorisation_metadata()
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var endpoints = host.Endpoints;
        Assert.True(endpoints.Count >= 20, $"only {endpoints.Count} endpoints found");
        var implicitOnes = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetMetadata<IAuthorizeData>() is null)
            .Select(e => $"{string.Join(",", e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])} {e.RoutePattern.RawText}")
            .ToList();
        Assert.True(implicitOnes.Count == 0, "endpoints without AllowAnonymous or RequireAuthorization: " + string.Join("; ", implicitOnes));
    }

    [Fact]
    public async Task Writes_are_never_anonymous()
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var anonymousWrites = host.Endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            // OAuth endpoints authenticate the client themselves (client_id and client_secret in the request),
            // and the sign-in form authenticates the person by password. GraphQL queries of open data travel by POST too;
            // every mutation field demands a token and its scope itself (AuthorizationMatrixTests.GraphQLFields checks them).
            // The portal's language switch writes only the visitor's own language cookie (antiforgery-checked); sign-up, like
            // sign-in, is how a person without an account comes to have one (antiforgery-checked, throttled on taken addresses).
            .Where(e => e.RoutePattern.RawText?.StartsWith("/connect/", StringComparison.Ordinal) != true
                && e.RoutePattern.RawText is not ("/account/signin" or "/graphql" or "language" or "signup"))
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Any(m => m is not ("GET" or "HEAD")) ?? true)
            .Select(e => e.RoutePattern.RawText)
            .ToList();
        Assert.True(anonymousWrites.Count == 0, "anonymous endpoints that are not GET: " + string.Join("; ", anonymousWrites));
    }
}
