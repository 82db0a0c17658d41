namespace OpenData.Platform.Desensitisation;

/// <summary>Kinds of personal data the outbound check and the ingestion profiler recognise in text.</summary>
public enum PiiKind
{
    /// <summary>A mainland resident identity card number: 18 characters, valid birth date and ISO 7064 check digit.</summary>
    IdCard,

    /// <summary>A mainland mobile number: 11 digits starting 13–19, optionally after +86.</summary>
    Mobile,

    /// <summary>A bank card number: 16 to 19 digits passing the Luhn check.</summary>
    BankCard,

    Email,
}

/// <summary>One recognised value inside a text: its kind and where it sits (UTF-16 offsets).</summary>
public readonly record struct PiiMatch(PiiKind Kind, int Start, int Length);
