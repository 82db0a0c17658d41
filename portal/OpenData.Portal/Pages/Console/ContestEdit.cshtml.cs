using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Portal.Contests;
using OpenData.Portal.Developer;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The organiser's form for an existing contest (as <c>PATCH /v1/contests/{id}</c>, <see cref="ContestService.UpdateAsync"/>):
/// for the platform's operators only. The rubric is sent only when it changed (it is fixed once a judge has scored); nothing
/// changes once the results are published, which the form says instead of offering itself.
/// </summary>
internal sealed class ContestEditModel(ContestService contests) : ConsolePageModel
{
    public string Id { get; private set; } = "";

    public Contest? Contest { get; private set; }

    public ContestInput Input { get; private set; } = new();

    public bool IsOrganiser => Person.IsOperator && Holds(Platform.Identity.Scopes.PlatformAdmin);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return Page();
        }
        Input = ContestInput.From(Contest!);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, ContestInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!await LoadAsync(id, cancellationToken))
        {
            return Page();
        }
        ModelState.Clear();
        Input = input;
        var invalid = new Dictionary<string, string>(StringComparer.Ordinal);
        var body = input.ToBody(Contest, invalid);
        if (ContestForms.ShowInvalid(this, invalid))
        {
            input.WithSpareRows();
            return Page();
        }
        var updated = await contests.UpdateAsync(Person.Principal, id, body, cancellationToken);
        if (updated.Refusal is { } refusal)
        {
            input.WithSpareRows();
            return Refused(ContestForms.Form, refusal, ContestForms.CodeFields);
        }
        return LocalRedirect($"/console/contests/{Uri.EscapeDataString(id)}/organise?done=saved");
    }

    /// <summary>Reads the contest for an organiser; false (with the page's status set) for anyone else or an unknown id.</summary>
    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        if (!IsOrganiser)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return false;
        }
        Contest = (await contests.GetAsync(id, cancellationToken)).Value;
        if (Contest is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }
        return true;
    }
}
