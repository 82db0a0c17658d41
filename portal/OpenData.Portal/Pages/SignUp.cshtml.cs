using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OpenData.Platform.Auth;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages;

/// <summary>
/// Sign-up: a new consumer organisation (free plan) and its first admin, by <see cref="TenancyService.SignUpAsync"/>; then the
/// person is signed in and goes to the console. An e-mail already registered is said so on the e-mail field: the address's
/// owner needs to know to sign in instead, and a duplicate cannot be refused without saying it. To keep that from serving as
/// a fast oracle of who has an account, refusals for a taken address are throttled per client address exactly as failed
/// sign-ins are (<see cref="FailureThrottle"/>), so the page tells no more, no faster, than the sign-in form.
/// </summary>
internal sealed class SignUpModel(TenancyService tenancy, FailureThrottle throttle, IStringLocalizer<PortalText> text) : PageModel
{
    [BindProperty]
    public string? Organisation { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public static int MinPasswordLength => TenancyService.MinPasswordLength;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        FailureThrottle.Key[] keys = [new("signup-address:" + address, TimeSpan.FromSeconds(2), Serialised: true)];
        if (await throttle.WaitTurnAsync(keys, cancellationToken) is { } retryAfter)
        {
            Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            ModelState.AddModelError("", text["SignUp.TooMany", Math.Ceiling(retryAfter.TotalSeconds)]);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        var outcome = await tenancy.SignUpAsync(new NewSignUp(Organisation, Name, Email, Password), cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            if (refusal.Code == TenancyErrors.MemberExists)
            {
                throttle.Failed(keys);
            }
            FieldErrors.Show(ModelState, text, "SignUp", refusal, new Dictionary<string, string> { [TenancyErrors.MemberExists] = "email" });
            Response.StatusCode = refusal.Status;
            return Page();
        }
        var admin = outcome.Value!.Admin;
        await SignInEndpoints.SignInPersonAsync(HttpContext, admin.Id, admin.Name, admin.TenantId);
        return LocalRedirect(LocalReturnUrl.Normalise(ReturnUrl) ?? "/console");
    }

    public IReadOnlyList<string> ErrorsOf(string field) => FormErrors.Of(ModelState, field);
}
