namespace OpenData.Portal.Marketplace;

/// <summary>
/// A labelled input or text area of the product form (Shared/_MarketField): its name, the resource keys of its label and help, what
/// was typed, the errors the service found in it, the rows of a text area (0: a one-line input), whether it is required, and the
/// language of what is typed in it when not the page's.
/// </summary>
internal sealed record MarketField(string Name, string Label, string? Value, IReadOnlyList<string> Errors, string? Help = null, int Rows = 0, bool Required = false,
    string? Lang = null);
