using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace OpenData.Portal.Developer;

/// <summary>
/// The "request access" form (Shared/_RequestAccessForm): the dataset, its columns from the data dictionary (all ticked until
/// the person chooses), the tenant's enabled apps, and what was entered with the errors the access service found. Where the
/// dataset's owner defined a verification (<c>Verifiable</c>), the person chooses the <c>Kind</c> of access: rows, or the
/// verification only (a grant of kind verify: match or no match, never a row).
/// </summary>
internal sealed record AccessRequestForm(
    string DatasetId, IReadOnlyList<(string Name, string Title)> Columns, IReadOnlyList<(string ClientId, string Name)> Apps,
    string? Purpose, IReadOnlyList<string>? Chosen, int DurationDays, string? AppId, ModelStateDictionary State, bool Verifiable = false, string? Kind = null)
{
    public const int DefaultDurationDays = 90;

    public bool IsChosen(string column) => Chosen is null || Chosen.Contains(column);

    public IReadOnlyList<string> ErrorsOf(string field) => FormErrors.Of(State, field);
}
