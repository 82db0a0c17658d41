using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Portal.Contests;
using OpenData.Portal.Developer;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The organiser's form for a new contest (as <c>POST /v1/contests</c>, <see cref="ContestService.CreateAsync"/>): for the platform's
/// operators only (anyone else is told so, 403). The service's refusals are shown on the fields they name; a new contest leads
/// to its organiser's page.
/// </summary>
internal sealed class ContestNewModel(ContestService contests) : ConsolePageModel
{
    public ContestInput Input { get; private set; } = ContestInput.New();

    public bool IsOrganiser => Person.IsOperator && Holds(Platform.Identity.Scopes.PlatformAdmin);

    public IActionResult OnGet()
    {
        if (!IsOrganiser)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(ContestInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsOrganiser)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        ModelState.Clear();
        Input = input;
        var invalid = new Dictionary<string, string>(StringComparer.Ordinal);
        var body = input.ToBody(null, invalid);
        if (ContestForms.ShowInvalid(this, invalid))
        {
            input.WithSpareRows();
            return Page();
        }
        var created = await contests.CreateAsync(Person.Principal, body, cancellationToken);
        if (created.Refusal is { } refusal)
        {
            input.WithSpareRows();
            return Refused(ContestForms.Form, refusal, ContestForms.CodeFields);
        }
        return LocalRedirect($"/console/contests/{Uri.EscapeDataString(created.Value!.Id)}/organise?done=created");
    }
}
