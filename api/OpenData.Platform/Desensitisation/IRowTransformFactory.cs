using OpenData.Platform.Catalogue;

namespace OpenData.Platform.Desensitisation;

/// <summary>Makes the row transform for a selection of columns of a view.</summary>
public interface IRowTransformFactory
{
    IRowTransform? For(IReadOnlyList<ColumnDefinition> selected);
}
