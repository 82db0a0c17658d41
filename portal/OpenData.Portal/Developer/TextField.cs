namespace OpenData.Portal.Developer;

/// <summary>A labelled input of a form, with its help text and the errors the service found in it (Shared/_TextField).</summary>
internal sealed record TextField(string Name, string Label, string? Value, string Type, string? Autocomplete, IReadOnlyList<string> Errors, string? Help);
