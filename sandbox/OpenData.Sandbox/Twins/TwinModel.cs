namespace OpenData.Sandbox.Twins;

/// <summary>How a twin column's values are made (see docs/sandbox.md, "How twins are made").</summary>
internal enum TwinModel
{
    /// <summary>Sampled from the real categories seen at least k times, conditioned on the most associated earlier categorical column.</summary>
    Categories,
    /// <summary>Numbers and dates from a noisy histogram (exact values when there are few of them).</summary>
    Histogram,
    Boolean,
    /// <summary>Templates of the real values' shapes (length and character classes), filled from the column's own character pools.</summary>
    Text,
    Name,
    Mobile,
    IdCard,
    Address,
    Email,
    BankCard,
    Point,
    CreditCode,
}
