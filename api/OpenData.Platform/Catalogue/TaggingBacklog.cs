namespace OpenData.Platform.Catalogue;

/// <summary>What awaits an owner's tagging in one dataset: untagged columns with a profiler's suggestion, and suspected columns.</summary>
internal sealed class TaggingBacklog
{
    public string DatasetId { get; set; } = "";

    /// <summary>Untagged columns for which profiling suggested a tag.</summary>
    public long Suggested { get; set; }

    /// <summary>Untagged columns suspected of holding personal values.</summary>
    public long Suspected { get; set; }
}
