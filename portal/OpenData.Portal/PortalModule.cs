using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.WebEncoders;
using OpenData.Platform.Auth;
using OpenData.Platform.Common;

namespace OpenData.Portal;

/// <summary>
/// The developer portal: Razor Pages at <c>/</c> (home, catalogue, dataset pages) over the modules' own services, in process.
/// The host calls <see cref="AddOpenDataPortal"/>, <see cref="UseOpenDataPortal"/> after routing and authentication and
/// before quota admission, and <see cref="MapOpenDataPortal"/>.
/// </summary>
public static class PortalModule
{
    private static readonly HttpMethodMetadata Get = new(["GET"]);
    private static readonly HttpMethodMetadata GetAndPost = new(["GET", "POST"]);

    public static IServiceCollection AddOpenDataPortal(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<Developer.TryItRunner>();
        // Sign-in and consent (written by the platform's Auth module) wear the portal's look.
        services.AddSingleton<IHtmlPageFrame, PortalPageFrame>();
        // Razor Pages bring MVC, whose JSON settings the OpenAPI generator then reads: keep them the platform's (enums as names).
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => PlatformJson.Configure(o.JsonSerializerOptions));
        // Razor writes Chinese as itself, not as &#x…; entities (the encoder still escapes what HTML needs escaped).
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddRazorPages(options =>
        {
            // The dataset page reads rows: it is admitted and metered against the caller's plan like the records API, so the
            // preview is no way around the quotas. A refusal is shown as the page (in its language), not as the API's problem.
            options.Conventions.AddPageApplicationModelConvention("/Datasets/Detail", page => page.EndpointMetadata.Add(Metered.ShowingRefusal));
            // The upload page takes files as large as the API does: its limits are set before the antiforgery check reads the form.
            options.Conventions.AddPageApplicationModelConvention("/Console/Upload", page => page.Filters.Add(new Publishing.UploadLimits()));
            // A page answers the methods it has handlers for and no other (a Razor page would otherwise take any method):
            // every page is read with GET; the forms' pages take a POST (antiforgery-checked by Razor Pages): the language
            // switch, sign-up, and the signed-in person's console (its sandbox/live switch among them).
            options.Conventions.AddFolderRouteModelConvention("/", route =>
            {
                var methods = TakesPost(route.ViewEnginePath) ? GetAndPost : Get;
                foreach (var selector in route.Selectors)
                {
                    selector.EndpointMetadata.Add(methods);
                }
            });
            // Who may open a page: the console (and sign-out) needs the sign-in cookie — a visitor without one is sent to
            // sign in and back; everything else is for anyone.
            options.Conventions.AddFolderApplicationModelConvention("/", page =>
            {
                page.EndpointMetadata.Add(SignedIn(page.ViewEnginePath)
                    ? new AuthorizeAttribute(PersonPolicy)
                    : new AllowAnonymousAttribute());
            });
        }).ConfigureApplicationPartManager(parts =>
        {
            // The host finds the portal through its reference; a host that does not (a test host of another assembly) still gets it.
            var assembly = typeof(PortalModule).Assembly;
            if (!parts.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == assembly))
            {
                parts.ApplicationParts.Add(new AssemblyPart(assembly));
            }
        });
        services.AddAuthorizationBuilder().AddPolicy(PersonPolicy, policy => policy
            .AddAuthenticationSchemes(SignInEndpoints.CookieScheme)
            .RequireAuthenticatedUser());
        return services;
    }

    /// <summary>The policy of the console's pages: a person signed in with the platform's sign-in cookie (a token is not enough).</summary>
    public const string PersonPolicy = "portal-person";

    private static bool SignedIn(string viewEnginePath) => viewEnginePath.StartsWith("/Console/", StringComparison.Ordinal);

    private static bool TakesPost(string viewEnginePath) =>
        viewEnginePath is "/Language" or "/SignUp" or "/Console/Index" or "/Console/Members" or "/Console/RequestAccess" or "/Console/SignOut"
            or "/Console/Try" or "/Console/Webhooks" or "/Console/Grants" or "/Console/Inbox"
            or "/Console/DatasetColumns" or "/Console/Tenant" or "/Console/Publish" or "/Console/Upload" or "/Console/Requests"
            or "/Console/Environment" or "/Console/ContestNew" or "/Console/ContestEdit"
            or "/Console/ContestOrganise" or "/Console/ContestRegister" or "/Console/ContestTeam" or "/Console/ContestJudge" or "/Console/ContestJudging"
            or "/Console/Airlock" or "/Console/Analysis" or "/Console/DatasetAnalytics"
            or "/Console/Subscribe" or "/Console/Subscriptions" or "/Console/Products" or "/Console/Providers";

    /// <summary>
    /// Culture, Content-Security-Policy and the signed-in person for the portal's pages (not the API's routes, which stay
    /// culture-invariant and never take the sign-in cookie). It runs before quota admission: a metered page (the dataset page)
    /// counts against the signed-in person's tenant, not the visitor's address, and a refusal is shown in the page's language.
    /// </summary>
    public static IApplicationBuilder UseOpenDataPortal(this IApplicationBuilder app)
    {
        var localization = PortalCulture.Options();
        return app.UseWhen(context => context.GetEndpoint()?.Metadata.GetMetadata<PortalPage>() is not null, portal =>
        {
            portal.UseRequestLocalization(localization);
            portal.Use(async (context, next) =>
            {
                // A page's user is the person of the sign-in cookie (a token, if one was sent, still decides): the forms'
                // antiforgery tokens are bound to that person, on the pages anyone may open (the header's sign-out, the
                // dataset page's request form) as on the console's, whose policy authenticates the cookie; and quota admission
                // counts the person's page views under their tenant (the cookie's tenant claim is all it reads: the scopes of
                // the person's current role are derived by the pages that act, ConsolePerson).
                if (context.User.Identity?.IsAuthenticated != true
                    && await context.AuthenticateAsync(SignInEndpoints.CookieScheme) is { Succeeded: true, Principal: { } person })
                {
                    context.User = person;
                }
                context.Response.Headers.ContentSecurityPolicy = PortalPage.ContentSecurityPolicy;
                // Pages differ by language and by whether htmx asked for a fragment.
                context.Response.Headers.Vary = "Cookie, HX-Request";
                await next(context);
            });
        });
    }

    /// <summary>The pages at <c>/</c> and their static files (vendored libraries, CSS, JS) under <c>/_content/OpenData.Portal/</c>.</summary>
    public static IEndpointRouteBuilder MapOpenDataPortal(this IEndpointRouteBuilder routes)
    {
        routes.MapStaticAssets().AllowAnonymous().WithMetadata(PortalStaticFile.Instance).ExcludeFromDescription();
        routes.MapRazorPages().WithMetadata(PortalPage.Instance).ExcludeFromDescription().WithStaticAssets();
        return routes;
    }
}
