using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Hosting;

namespace OpenData.Platform.Auth;

/// <summary>Authentication and the authorisation policies: one per scope, and a fallback that requires a token (secure by default).</summary>
public static class PlatformAuth
{
    public static IServiceCollection AddPlatformAuth(this IServiceCollection services)
    {
        services.AddAuthentication(TokenRequiredHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenRequiredHandler>(TokenRequiredHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddScopePolicies();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }

    private static AuthorizationBuilder AddScopePolicies(this AuthorizationBuilder builder)
    {
        foreach (var scope in Scopes.All)
        {
            builder.AddPolicy(scope, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasScope(scope)));
        }
        return builder;
    }

    internal static Task WriteForbiddenAsync(HttpContext context) =>
        Problems.Forbidden("auth.insufficient_scope", "the access token lacks the scope this endpoint needs").ExecuteAsync(context);
}
