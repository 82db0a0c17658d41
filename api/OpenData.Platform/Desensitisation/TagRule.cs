using OpenData.Platform.Storage;

namespace OpenData.Platform.Desensitisation;

/// <summary>One tag of <c>desensitisation.yaml</c>: the column types it fits and its transform at each access level.</summary>
public sealed record TagRule(string Tag, string Description, IReadOnlySet<ColumnType> Types, TransformSpec Open, TransformSpec Granted, TransformSpec Sandbox)
{
    public TransformSpec For(AccessLevel level) => level switch
    {
        AccessLevel.Open => Open,
        AccessLevel.Granted => Granted,
        _ => Sandbox,
    };
}
