using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.WebEncoders;
using OpenData.Platform.Common;

namespace OpenData.Portal;

/// <summary>
/// The developer portal: Razor Pages at <c>/</c> (home, catalogue, dataset pages) over the modules' own services, in process.
/// The host calls <see cref="AddOpenDataPortal"/>, <see cref="UseOpenDataPortal"/> after routing and authentication, and
/// <see cref="MapOpenDataPortal"/>.
/// </summary>
public static class PortalModule
{
    private static readonly HttpMethodMetadata Get = new(["GET"]);
    private static readonly HttpMethodMetadata GetAndPost = new(["GET", "POST"]);

    public static IServiceCollection AddOpenDataPortal(this IServiceCollection services)
    {
        services.AddLocalization();
        // Razor Pages bring MVC, whose JSON settings the OpenAPI generator then reads: keep them the platform's (enums as names).
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => PlatformJson.Configure(o.JsonSerializerOptions));
        // Razor writes Chinese as itself, not as &#x…; entities (the encoder still escapes what HTML needs escaped).
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddRazorPages(options =>
        {
            // The dataset page reads rows: it is admitted and metered against the caller's plan like the records API, so the
            // preview is no way around the quotas.
            options.Conventions.AddPageApplicationModelConvention("/Datasets/Detail", page => page.EndpointMetadata.Add(Metered.Instance));
            // A page answers the methods it has handlers for and no other (a Razor page would otherwise take any method):
            // every page is read with GET; only the language switch takes a POST, which writes the visitor's own cookie.
            options.Conventions.AddFolderRouteModelConvention("/", route =>
            {
                var methods = route.ViewEnginePath == "/Language" ? GetAndPost : Get;
                foreach (var selector in route.Selectors)
                {
                    selector.EndpointMetadata.Add(methods);
                }
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
        return services;
    }

    /// <summary>Culture and Content-Security-Policy for the portal's pages (not the API's routes, which stay culture-invariant).</summary>
    public static IApplicationBuilder UseOpenDataPortal(this IApplicationBuilder app)
    {
        var localization = PortalCulture.Options();
        return app.UseWhen(context => context.GetEndpoint()?.Metadata.GetMetadata<PortalPage>() is not null, portal =>
        {
            portal.UseRequestLocalization(localization);
            portal.Use((context, next) =>
            {
                context.Response.Headers.ContentSecurityPolicy = PortalPage.ContentSecurityPolicy;
                // Pages differ by language and by whether htmx asked for a fragment.
                context.Response.Headers.Vary = "Cookie, HX-Request";
                return next(context);
            });
        });
    }

    /// <summary>The pages at <c>/</c> and their static files (vendored libraries, CSS, JS) under <c>/_content/OpenData.Portal/</c>.</summary>
    public static IEndpointRouteBuilder MapOpenDataPortal(this IEndpointRouteBuilder routes)
    {
        routes.MapStaticAssets().AllowAnonymous().WithMetadata(PortalStaticFile.Instance).ExcludeFromDescription();
        routes.MapRazorPages().WithMetadata(PortalPage.Instance).AllowAnonymous().ExcludeFromDescription().WithStaticAssets();
        return routes;
    }
}
