using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Platform.Auth;

namespace OpenData.Portal.Pages;

/// <summary>
/// The language switch: a form in every page's header posts the chosen language here (antiforgery-checked like every form);
/// the choice is kept in a cookie for a year and the visitor goes back to the page they were on.
/// </summary>
internal sealed class LanguageModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        if (!PortalCulture.IsSupported(culture))
        {
            return BadRequest();
        }
        Response.Cookies.Append(PortalCulture.CookieName, PortalCulture.CookieValue(culture!), new CookieOptions
        {
            Expires = DateTimeOffset.UtcNow.AddYears(1),
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = Request.IsHttps,
            Path = "/",
        });
        return LocalRedirect(LocalReturnUrl.Normalise(returnUrl) ?? "/");
    }
}
