using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using OpenData.Platform.Auth;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The sandbox/live switch (<see cref="PortalEnvironment"/>): what each mode does, and the form every console page and the sandbox
/// banner post here (antiforgery-checked); the choice is kept in the <c>od_env</c> cookie and the person goes back where they were.
/// </summary>
internal sealed class EnvironmentModel(IStringLocalizer<PortalText> text) : ConsolePageModel
{
    /// <summary>The mode the console is in now: <c>live</c> or <c>sandbox</c>.</summary>
    public string Current { get; private set; } = PortalEnvironment.Live;

    public IActionResult OnGet()
    {
        Current = PortalEnvironment.Current(HttpContext);
        return Page();
    }

    public IActionResult OnPost(string? environment, string? returnUrl)
    {
        if (!PortalEnvironment.IsSupported(environment))
        {
            Current = PortalEnvironment.Current(HttpContext);
            ModelState.AddModelError("environment", text["Environment.Pick"]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        PortalEnvironment.Choose(HttpContext, environment!);
        return LocalRedirect(LocalReturnUrl.Normalise(returnUrl) ?? "/console/environment");
    }
}
