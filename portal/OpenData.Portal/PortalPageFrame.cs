using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;
using OpenData.Platform.Common;

namespace OpenData.Portal;

/// <summary>
/// The portal's look for the pages the platform writes itself (sign-in, consent): the portal's header, stylesheet and footer,
/// in the language of the visitor's culture cookie, the page's title and form in a card. Only files of the platform are
/// linked (the page's Content-Security-Policy allows the platform's stylesheets and nothing inline but by hash).
/// </summary>
internal sealed class PortalPageFrame(IStringLocalizer<PortalText> text) : IHtmlPageFrame
{
    public string Document(HttpContext context, string title, string body)
    {
        ArgumentNullException.ThrowIfNull(context);
        var chosen = CookieRequestCultureProvider.ParseCookieValue(context.Request.Cookies[PortalCulture.CookieName] ?? "")?.UICultures.FirstOrDefault().Value;
        var culture = CultureInfo.GetCultureInfo(PortalCulture.IsSupported(chosen) ? chosen! : PortalCulture.Chinese);
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            string T(string key) => WebUtility.HtmlEncode(text[key]);
            return $$"""
                <!doctype html>
                <html lang="{{culture.Name}}">
                <head>
                    <meta charset="utf-8">
                    <meta name="viewport" content="width=device-width, initial-scale=1">
                    <title>{{WebUtility.HtmlEncode(title)}} · {{T("Platform.Name")}}</title>
                    <link rel="stylesheet" href="/_content/OpenData.Portal/lib/bootstrap/css/bootstrap.min.css">
                    <link rel="stylesheet" href="/_content/OpenData.Portal/css/portal.css">
                </head>
                <body>
                    <header class="portal-header">
                        <nav class="navbar navbar-dark" aria-label="{{T("Layout.MainNavigation")}}">
                            <div class="container">
                                <a class="navbar-brand fw-semibold" href="/">{{T("Platform.Name")}}</a>
                                <a class="btn btn-sm btn-outline-light" href="/">{{T("Nav.Home")}}</a>
                            </div>
                        </nav>
                    </header>
                    <main id="main" class="container py-5">
                        <div class="row justify-content-center">
                            <div class="col-md-7 col-lg-5">
                                <section class="card card-body platform-page" aria-labelledby="page-heading">
                                    <h1 id="page-heading" class="h3 mb-3">{{WebUtility.HtmlEncode(title)}}</h1>
                                    {{body}}
                                </section>
                            </div>
                        </div>
                    </main>
                    <footer class="portal-footer border-top py-4 mt-5">
                        <div class="container"><p class="mb-0">{{T("Footer.About")}}</p></div>
                    </footer>
                </body>
                </html>
                """;
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
