namespace OpenData.Sandbox.Twins;

/// <summary>
/// One column of a twin's report: its kind (personal, categorical, numeric, date, text, boolean), how its values were made, a
/// distribution distance between the real and twin columns (<see cref="Measure"/>: totalVariation, kolmogorovSmirnov,
/// shareDifference; null when none applies, as for e-mails and free text), the NULL shares and the categories kept and dropped as
/// rare (counts only, never the values).
/// </summary>
internal sealed record TwinColumnReport(
    string Name,
    string Type,
    string? Tag,
    string Kind,
    string Model,
    string? Measure,
    string? MeasuredOn,
    double? Distance,
    double RealNullShare,
    double TwinNullShare,
    int CategoriesKept,
    int CategoriesDroppedAsRare,
    bool HighCardinality);
