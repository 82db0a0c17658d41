namespace OpenData.Platform.Catalogue;

/// <summary>What a person narrowed the catalogue to: text, theme, owner, classification (each optional).</summary>
internal sealed record BrowseFilter(string? Q, string? Theme, string? Owner, string? Classification);
