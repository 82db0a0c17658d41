using OpenData.Platform.Datasets;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Catalogue.GraphQL;

/// <summary><c>enum ColumnType { string integer decimal boolean date datetime }</c>.</summary>
internal sealed class ColumnTypeGraphType : CamelCaseEnumGraphType<ColumnType>
{
    public ColumnTypeGraphType()
    {
        Name = "ColumnType";
        Description = "The type of a column's values; dates are written yyyy-MM-dd and datetimes in UTC ISO 8601.";
    }
}
