using OpenData.Platform.Desensitisation;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Catalogue.GraphQL;

/// <summary><c>enum ColumnVisibility</c>: how this caller sees a column's values.</summary>
internal sealed class ColumnVisibilityGraphType : CamelCaseEnumGraphType<ColumnVisibility>
{
    public ColumnVisibilityGraphType()
    {
        Name = "ColumnVisibility";
        Description = "clear, masked, pseudonymised (stable tokens), generalised, hidden (left out of rows) or synthetic (sandbox).";
    }
}
