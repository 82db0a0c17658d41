using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Platform.Auth;

namespace OpenData.Portal.Pages.Console;

/// <summary>Sign-out: the header's form posts here (antiforgery-checked), the sign-in cookie is removed, the person goes home.</summary>
internal sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/console");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(SignInEndpoints.CookieScheme);
        return LocalRedirect("/");
    }
}
