namespace OpenData.Portal.Publishing;

/// <summary>One column row of the publish form, as posted (<c>columns[i].name</c>, …): the API's <c>NewColumn</c> before it is checked.</summary>
internal sealed class ColumnInput
{
    public string? Name { get; set; }

    public string? Type { get; set; }

    public string? Title { get; set; }

    public string? TitleEn { get; set; }

    public string? Description { get; set; }

    public string? DescriptionEn { get; set; }

    public string? Tag { get; set; }

    /// <summary>The "indexed" box: each version gets an index on the column (the API's <c>indexed</c>).</summary>
    public bool Indexed { get; set; }
}
