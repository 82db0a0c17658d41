using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Contests;

/// <summary>What the organiser's contest pages share: the form's name for its field texts, and the refusals said on a field.</summary>
internal static class ContestForms
{
    /// <summary>The form's name in the resources' field texts (<c>Field.Contest.{field}</c>).</summary>
    public const string Form = "Contest";

    /// <summary>A refusal naming no field that belongs beside one: a taken id beside the id.</summary>
    public static readonly IReadOnlyDictionary<string, string> CodeFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ContestErrors.Exists] = "id",
        [ContestErrors.RubricLocked] = "rubric",
    };

    /// <summary>Puts on their fields what is not a date or a number as typed; true when there was any (the page shows the form again, 400).</summary>
    public static bool ShowInvalid(PageModel page, IReadOnlyDictionary<string, string> invalid)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(invalid);
        if (invalid.Count == 0)
        {
            return false;
        }
        var text = page.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<PortalText>>();
        foreach (var (field, kind) in invalid)
        {
            page.ModelState.AddModelError(field, text[kind == "date" ? "ContestForm.NotADate" : "ContestForm.NotANumber"]);
        }
        page.Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest;
        return true;
    }
}
