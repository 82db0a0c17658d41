namespace OpenData.Platform.Datasets;

/// <summary>The value types a dataset column may declare.</summary>
public enum ColumnType
{
    String,
    Integer,
    Decimal,
    Boolean,
    Date,
    Datetime,
}
