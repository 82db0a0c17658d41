using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;
using OpenData.Portal.Developer;
using OpenData.Portal.Publishing;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The owner's publish form (发布数据集): a new dataset's metadata in two languages and its columns, each with a tag from the
/// desensitisation policy (what each tag does at each access level is shown beside the picker). Rows are added and removed by a
/// round trip, so the form works without script. Creation is <see cref="DatasetDeclarations"/>, the service of
/// <c>POST /v1/datasets</c>; its refusals are shown on the fields they name. Success leads to the dataset's upload page.
/// </summary>
internal sealed partial class PublishModel(CatalogueStore store, DatasetDeclarations declarations, DesensitisationPolicy policy, IStringLocalizer<PortalText> text)
    : ConsolePageModel
{
    public const int MaxColumnRows = DatasetValidator.MaxColumns;

    [BindProperty]
    public string? Id { get; set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? TitleEn { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? DescriptionEn { get; set; }

    [BindProperty]
    public string? Theme { get; set; }

    [BindProperty]
    public string? Classification { get; set; }

    [BindProperty]
    public string? License { get; set; } = "CC-BY-4.0";

    [BindProperty]
    public string? UpdateFrequency { get; set; }

    /// <summary>The source datasets' ids as typed (spaces or commas between them): the lineage a derived dataset declares.</summary>
    [BindProperty]
    public string? Sources { get; set; }

    [BindProperty]
    public List<ColumnInput> Columns { get; set; } = [];

    /// <summary>The row to take out (the remove button's value).</summary>
    [BindProperty]
    public int? Remove { get; set; }

    public IReadOnlyList<Theme> Themes { get; private set; } = [];

    public IReadOnlyList<TagEffect> Tags { get; private set; } = [];

    /// <summary>Whether the person may publish: a member of an owner tenant, or of a licensed provider, holding datasets:write.</summary>
    public bool MayPublish => Person.PublishesDatasets && Holds(Scopes.DatasetsWrite);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!MayPublish)
        {
            return NotOwner();
        }
        Columns = [new ColumnInput { Type = "string" }];
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Adds an empty column row (without script, a round trip; nothing is created).</summary>
    public async Task<IActionResult> OnPostAddColumnAsync(CancellationToken cancellationToken)
    {
        if (!MayPublish)
        {
            return NotOwner();
        }
        ModelState.Clear();
        if (Columns.Count < MaxColumnRows)
        {
            Columns.Add(new ColumnInput { Type = "string" });
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Takes a column row out (a round trip; nothing is created).</summary>
    public async Task<IActionResult> OnPostRemoveColumnAsync(CancellationToken cancellationToken)
    {
        if (!MayPublish)
        {
            return NotOwner();
        }
        ModelState.Clear();
        if (Remove is { } index && index >= 0 && index < Columns.Count)
        {
            Columns.RemoveAt(index);
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!MayPublish)
        {
            return NotOwner();
        }
        ModelState.Clear();
        var body = new NewDataset(Id?.Trim() ?? "", Title ?? "", Blank(TitleEn), Description, Blank(DescriptionEn), Theme ?? "", Classification ?? "", License ?? "",
            UpdateFrequency ?? "",
            Columns.Select(c => new NewColumn(c.Name?.Trim() ?? "", c.Type ?? "", Blank(c.Title), Blank(c.Description), Blank(c.Tag), Blank(c.TitleEn), Blank(c.DescriptionEn), c.Indexed)).ToList(),
            SourceIds(Sources));
        var declared = await declarations.DeclareAsync(Person.Principal, body, cancellationToken);
        if (declared.Refusal is { } refusal)
        {
            await LoadAsync(cancellationToken);
            if (refusal.Errors is { Count: > 0 } errors)
            {
                ShowFieldErrors(errors);
                Response.StatusCode = refusal.Status;
                return Page();
            }
            return Refused("Publish", refusal, new Dictionary<string, string> { [CatalogueErrors.DatasetExists] = "id", [CatalogueErrors.SourceNotReadable] = "sources" });
        }
        return LocalRedirect($"/console/datasets/{Uri.EscapeDataString(declared.Value!)}/upload");
    }

    /// <summary>
    /// The service's field errors in the page's language: <c>columns[2].name</c> is told with the message of <c>column.name</c>,
    /// under its own key so it shows on its row; a message the resources do not know is the service's own words.
    /// </summary>
    private void ShowFieldErrors(IReadOnlyDictionary<string, string[]> errors)
    {
        foreach (var (field, messages) in errors)
        {
            var general = ColumnField().Replace(field, "column");
            var local = text[$"Field.Publish.{general}"];
            ModelState.AddModelError(field, local.ResourceNotFound ? string.Join(" ", messages) : local.Value);
        }
    }

    private PageResult NotOwner()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Themes = await store.ThemesAsync(cancellationToken);
        Tags = TagEffects.From(policy);
    }

    /// <summary>The ids typed in the sources field, or null when it is empty (not derived).</summary>
    private static List<string>? SourceIds(string? typed) =>
        typed?.Split([' ', ',', '，', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } ids ? [.. ids] : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"^columns\[\d+\]")]
    private static partial Regex ColumnField();
}
