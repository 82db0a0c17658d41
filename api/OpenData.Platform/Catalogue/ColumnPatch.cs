using System.Text.Json.Serialization;

namespace OpenData.Platform.Catalogue;

/// <summary>
/// The body of <c>PATCH /v1/datasets/{id}/columns/{name}</c>: <c>tag</c>, the column's new tag (null removes it), and/or
/// <c>indexed</c>, whether the next versions get an index on it. A body without <c>indexed</c> changes the tag, as it always has
/// (an absent tag removes it); a body with <c>indexed</c> alone leaves the tag as it is.
/// </summary>
internal sealed class ColumnPatch
{
    private readonly string? _tag;

    /// <summary>The new tag, or null (or blank) for none.</summary>
    public string? Tag
    {
        get => _tag;
        init
        {
            _tag = value;
            TagGiven = true;
        }
    }

    /// <summary>Whether the body named <c>tag</c> at all (the serializer sets a property only when the body holds it).</summary>
    [JsonIgnore]
    public bool TagGiven { get; private init; }

    /// <summary>True to index the column in the versions loaded from now on, false to stop; null leaves it as it is.</summary>
    public bool? Indexed { get; init; }

    /// <summary>Whether this patch changes the tag: it names one, or it names nothing else.</summary>
    [JsonIgnore]
    public bool ChangesTag => TagGiven || Indexed is null;
}
