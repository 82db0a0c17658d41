using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Auth;

/// <summary>Authentication and the authorisation policies: one per scope, and a fallback that requires a token (secure by default).</summary>
internal static class PlatformAuth
{
    public const string DefaultScheme = "OpenData";

    public static IServiceCollection AddPlatformAuth(this IServiceCollection services)
    {
        services.AddSingleton<KeyRing>();
        services.AddSingleton<FailureThrottle>();
        // Sign-in and consent forms carry an antiforgery token (checked by hand: the endpoints read their forms themselves).
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "opendata_af";
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        });
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TokenState>();
        services.AddSingleton<Tenancy.IAppDisabledNotice>(sp => sp.GetRequiredService<TokenState>());
        services.AddSingleton<Tenancy.ITenantDisabledNotice>(sp => sp.GetRequiredService<TokenState>());
        services.AddSingleton<Tenancy.IAppBoundsNotice>(sp => sp.GetRequiredService<TokenState>());
        services.AddSingleton<OperatorBootstrap>();
        services.AddOpenIddict()
            .AddServer(options =>
            {
                options.EnableDegradedMode();
                options.SetTokenEndpointUris("connect/token")
                    .SetAuthorizationEndpointUris("connect/authorize")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetIntrospectionEndpointUris("connect/introspect");
                options.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow();
                // PKCE with S256 only: "plain" would let an intercepted code be exchanged.
                options.Configure(o => o.CodeChallengeMethods.Remove(OpenIddict.Abstractions.OpenIddictConstants.CodeChallengeMethods.Plain));
                options.RegisterScopes([.. Scopes.All, OpenIddict.Abstractions.OpenIddictConstants.Scopes.OfflineAccess]);
                options.DisableAccessTokenEncryption();
                options.SetAccessTokenLifetime(TimeSpan.FromHours(1));
                // TLS ends at the load balancer in front of the nodes; the host itself speaks http.
                options.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
                options.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.ValidateAuthorizationRequestContext>(b => b.UseSingletonHandler<AuthorizationRequestChecks>());
                options.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.ProcessSignInContext>(b => b.UseSingletonHandler<TokenIds>()
                    .SetOrder(OpenIddict.Server.OpenIddictServerHandlers.PrepareRefreshTokenPrincipal.Descriptor.Order + 1)
                    .SetType(OpenIddict.Server.OpenIddictServerHandlerType.Custom));
                options.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.ValidateTokenRequestContext>(b => b.UseSingletonHandler<ClientAuthentication>());
                options.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.ValidateIntrospectionRequestContext>(b => b.UseSingletonHandler<ClientAuthentication>());
                options.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.ValidateRevocationRequestContext>(b => b.UseSingletonHandler<ClientAuthentication>());
                options.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.HandleRevocationRequestContext>(b => b.UseSingletonHandler<RevocationRecorder>());
                options.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.ApplyTokenResponseContext>(b => b.UseSingletonHandler<TokenTelemetry>()
                    .SetOrder(int.MinValue + 100_000)
                    .SetType(OpenIddict.Server.OpenIddictServerHandlerType.Custom));
                // After OpenIddict has read the token: degraded mode skips its own authorised-party check.
                options.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.ValidateIntrospectionRequestContext>(b => b.UseSingletonHandler<IntrospectionScope>()
                    .SetOrder(OpenIddict.Server.OpenIddictServerHandlers.Introspection.ValidateAuthorizedParty.Descriptor.Order + 1)
                    .SetType(OpenIddict.Server.OpenIddictServerHandlerType.Custom));
                options.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.ValidateTokenContext>(b => b.UseSingletonHandler<TokenChecks>()
                    .SetOrder(OpenIddict.Server.OpenIddictServerHandlers.Protection.ValidateExpirationDate.Descriptor.Order + 1)
                    .SetType(OpenIddict.Server.OpenIddictServerHandlerType.Custom));
            })
            .AddValidation(options =>
            {
                options.UseLocalServer();
                // Tokens from the Authorization header only: a token in a URL lands in logs, proxies and Referer headers.
                options.UseAspNetCore().DisableAccessTokenExtractionFromBodyForm().DisableAccessTokenExtractionFromQueryString();
                options.AddEventHandler<OpenIddict.Validation.OpenIddictValidationEvents.ValidateTokenContext>(b => b.UseSingletonHandler<ValidatedTokenCache>()
                    .SetOrder(int.MinValue + 100_000)
                    .SetType(OpenIddict.Validation.OpenIddictValidationHandlerType.Custom));
                options.AddEventHandler<OpenIddict.Validation.OpenIddictValidationEvents.ValidateTokenContext>(b => b.UseSingletonHandler<ValidatedTokenCache.Store>()
                    .SetOrder(int.MaxValue - 100_000)
                    .SetType(OpenIddict.Validation.OpenIddictValidationHandlerType.Custom));
                options.AddEventHandler<OpenIddict.Validation.OpenIddictValidationEvents.ValidateTokenContext>(b => b.UseSingletonHandler<TokenChecks>()
                    .SetOrder(OpenIddict.Validation.OpenIddictValidationHandlers.Protection.ValidateExpirationDate.Descriptor.Order + 1)
                    .SetType(OpenIddict.Validation.OpenIddictValidationHandlerType.Custom));
            });
        // Keys come from the store: loaded (or generated) the first time the server's options are built.
        services.AddOptions<OpenIddict.Server.OpenIddictServerOptions>().Configure<KeyRing>((options, keys) =>
        {
            foreach (var key in keys.SigningKeys)
            {
                options.SigningCredentials.Add(new Microsoft.IdentityModel.Tokens.SigningCredentials(key, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.EcdsaSha256));
            }
            foreach (var key in keys.EncryptionKeys)
            {
                options.EncryptionCredentials.Add(new Microsoft.IdentityModel.Tokens.EncryptingCredentials(key,
                    Microsoft.IdentityModel.Tokens.SecurityAlgorithms.Aes256KW, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.Aes256CbcHmacSha512));
            }
        });
        // Behind a load balancer every node must name the same issuer, or a token from one node fails on another.
        services.AddOptions<OpenIddict.Server.OpenIddictServerOptions>().Configure<Microsoft.Extensions.Options.IOptions<AuthOptions>>((options, auth) =>
        {
            if (auth.Value.Issuer is { Length: > 0 } issuer)
            {
                options.Issuer = new Uri(issuer, UriKind.Absolute);
            }
        });
        // A request without an Authorization header is anonymous at once; token validation runs only when one is sent.
        const string bearer = OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
        services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, "Bearer token when one is sent", o =>
            {
                // Challenges follow the same choice: no credentials → 401 with a bare Bearer challenge (RFC 6750 §3.1), a bad
                // token → the token handler's 401 invalid_token; a valid token lacking a right → 403.
                o.ForwardDefaultSelector = context => context.Request.Headers.Authorization.Count > 0 ? bearer : AnonymousHandler.SchemeName;
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, AnonymousHandler>(AnonymousHandler.SchemeName, null)
            .AddCookie(SignInEndpoints.CookieScheme, o =>
            {
                o.LoginPath = "/account/signin";
                o.Cookie.Name = "opendata_signin";
                o.Cookie.HttpOnly = true;
                // Secure whenever the request came over https (behind a listed proxy: whenever the proxy says so).
                o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
                o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromHours(1);
                o.SlidingExpiration = true;
                // A person of a disabled tenant is signed out on their next request, wherever the cookie is read.
                o.Events.OnValidatePrincipal = async context =>
                {
                    var tenant = context.Principal?.FindFirst(PlatformClaims.Tenant)?.Value;
                    if (tenant is not null && await context.HttpContext.RequestServices.GetRequiredService<TokenState>().IsTenantDisabledAsync(tenant, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                        await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.SignOutAsync(context.HttpContext, SignInEndpoints.CookieScheme);
                    }
                };
            });
        // The sign-in cookie is protected with Data Protection; its key ring lives in the data folder, not ~/.aspnet.
        Microsoft.AspNetCore.DataProtection.DataProtectionBuilderExtensions.SetApplicationName(services.AddDataProtection(), "OpenData");
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>().Configure<Storage.DatabaseOptions, Microsoft.Extensions.Logging.ILoggerFactory>((o, db, logs) =>
            o.XmlRepository = new Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository(
                new DirectoryInfo(Path.Combine(db.DataDirectory, "dataprotection-keys")), logs));
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
}
