using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;
using OpenData.Platform.Records;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// An owner's column tagging (标注): each column of one of its datasets with its tag and what the tag does at each access level,
/// the profiler's suggestions (<see cref="CatalogueStore.SuggestionsAsync"/>) with a few values masked as the suggested tag would
/// leave them for an anonymous caller (<see cref="ColumnSamples"/>), and suspected columns marked until tagged. A suggestion is
/// accepted, or another tag chosen, through <see cref="ColumnTagger"/> — the rules, refusals and audit of
/// <c>PATCH /v1/datasets/{id}/columns/{name}</c>. htmx gets the column's card back; a browser without script is sent back to the page.
/// </summary>
internal sealed class DatasetColumnsModel(CatalogueStore store, ColumnTagger tagger, ColumnSamples samples, DesensitisationPolicy policy) : ConsolePageModel
{
    /// <summary>The form whose refusals are worded by the resources' <c>Field.Tag.*</c>.</summary>
    private const string Form = "Tag";

    public string DatasetId { get; private set; } = "";

    public DatasetRow? Dataset { get; private set; }

    public IReadOnlyList<TaggingColumn> Columns { get; private set; } = [];

    /// <summary>Why nothing is shown: 403 for a person whose tenant owns no data, 404 for a dataset that is not the tenant's; else null.</summary>
    public int? Unavailable { get; private set; }

    /// <summary>The column just tagged (its card says so).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Tagged { get; set; }

    [BindProperty]
    public string? Column { get; set; }

    [BindProperty]
    public string? Tag { get; set; }

    /// <summary>Every tag of the policy, for the select, in the policy's order.</summary>
    public IReadOnlyList<TagRule> Tags => [.. policy.Tags.Values];

    public bool MayTag => Holds(Scopes.DatasetsWrite);

    /// <summary>The id of a column's card (htmx swaps it), safe for any column name.</summary>
    public static string CardId(string column) => "column-" + Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(column));

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Accepts a suggestion or sets the tag chosen (blank: no tag) on one column.</summary>
    public async Task<IActionResult> OnPostTagAsync(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }
        var column = Column ?? "";
        if (!MayTag)
        {
            await LoadAsync(cancellationToken);
            return Refused(Form, Refusal.Forbidden(CommonErrors.InsufficientScope, "this needs the datasets:write scope"));
        }
        var tagged = await tagger.TagAsync(Person.Principal, DatasetId, column, Tag, cancellationToken);
        if (tagged.Refusal is { } refusal)
        {
            await LoadAsync(cancellationToken);
            ShowRefusal(Form, refusal);
            if (IsHtmx && Columns.FirstOrDefault(c => c.Column.Name == column) is { } card)
            {
                // htmx swaps only a 2xx answer: the card comes back with the field's message (role="alert").
                return Partial("_TaggingColumn", new TaggingCard(this, card with { Errors = ErrorsOf("tag"), Chosen = Tag }));
            }
            Response.StatusCode = refusal.Status;
            return Page();
        }
        if (IsHtmx)
        {
            Tagged = column;
            await LoadAsync(cancellationToken);
            return Partial("_TaggingColumn", new TaggingCard(this, Columns.First(c => c.Column.Name == column)));
        }
        return Redirect($"/console/datasets/{Uri.EscapeDataString(DatasetId)}/columns?tagged={Uri.EscapeDataString(column)}#{CardId(column)}");
    }

    private bool IsHtmx => Request.Headers["HX-Request"] == "true";

    /// <summary>The dataset if it is the person's tenant's; otherwise the page's refusal (403 for a tenant that owns no data, else 404).</summary>
    private async Task<IActionResult?> FindAsync(string id, CancellationToken cancellationToken)
    {
        DatasetId = id;
        (Dataset, Unavailable) = await OwnedDatasetAsync(store, id, cancellationToken);
        return Unavailable is null ? null : Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var found = await store.GetAsync(DatasetId, cancellationToken);
        if (found is null)
        {
            return;
        }
        Dataset = found.Value.Dataset;
        var columns = found.Value.Columns.Select(c => c.ToDefinition()).ToList();
        var suggestions = (await store.SuggestionsAsync(Dataset.Key, cancellationToken))
            .GroupBy(s => s.Column, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<TagSuggestion>)[.. g.OrderByDescending(s => s.Share)], StringComparer.Ordinal);
        // Each column's sample as its first suggestion would leave it, or else as its tag (or no tag) leaves it now.
        var proposed = columns.ToDictionary(c => c.Name, c => suggestions.TryGetValue(c.Name, out var s) ? s[0].Tag : c.Tag, StringComparer.Ordinal);
        var shown = (await samples.ForOpenCallersAsync(DatasetId, proposed, cancellationToken))?.ToDictionary(s => s.Column, StringComparer.Ordinal);
        Columns = [.. columns.Select(c => new TaggingColumn(
            c,
            policy.Find(c.Tag),
            suggestions.GetValueOrDefault(c.Name) ?? [],
            shown?.GetValueOrDefault(c.Name),
            proposed[c.Name],
            Errors: [],
            Chosen: c.Tag))];
    }
}

/// <summary>
/// One column on the tagging page: its definition, its tag's rule (null when untagged), the profiler's suggestions (best first),
/// its sample as <see cref="SampleTag"/> would show it to an anonymous caller (null when no version is published), the field's
/// messages of a refused tagging and the tag the select shows.
/// </summary>
internal sealed record TaggingColumn(
    Platform.Datasets.ColumnDefinition Column,
    TagRule? Rule,
    IReadOnlyList<TagSuggestion> Suggestions,
    ColumnSample? Sample,
    string? SampleTag,
    IReadOnlyList<string> Errors,
    string? Chosen);

/// <summary>A column's card with the page it sits on (the partial needs the page's tags and rights).</summary>
internal sealed record TaggingCard(DatasetColumnsModel Page, TaggingColumn Item);
