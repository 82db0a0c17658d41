namespace OpenData.Platform.Datasets;

/// <summary>The value types a dataset column may declare.</summary>
internal enum ColumnType
{
    String,
    Integer,
    Decimal,
    Boolean,
    Date,
    Datetime,
}
