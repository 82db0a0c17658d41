namespace OpenData.Platform.Datasets;

/// <summary>Kinds of personal data the outbound check and the ingestion profiler recognise in text.</summary>
internal enum PiiKind
{
    /// <summary>A mainland resident identity card number: 18 characters (a valid birth date; the check digit may be wrong) or the legacy 15 digits.</summary>
    IdCard,

    /// <summary>A mainland mobile number: 11 digits starting 13–19, optionally after +86.</summary>
    Mobile,

    /// <summary>A bank card number: 16 to 19 digits passing the Luhn check, or a UnionPay (62) number, or one after a card cue word.</summary>
    BankCard,

    /// <summary>An e-mail address, also written with [at], (at), " at ", " dot " or a full stop 。 in its domain.</summary>
    Email,

    /// <summary>A mainland landline with its area code: 010 or 02x and 8 digits, or 0xxx and 7 or 8 digits.</summary>
    Landline,

    /// <summary>A street address in free text: a road and house number (building, unit, room), with the divisions written before it.</summary>
    Address,

    /// <summary>A personal name after a cue word (联系人、姓名、收件人…) or before a form of address (先生、女士、师傅、小姐).</summary>
    Name,
}
