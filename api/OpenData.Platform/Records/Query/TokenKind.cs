namespace OpenData.Platform.Records.Query;

/// <summary>What a <see cref="Token"/> of query text is.</summary>
internal enum TokenKind
{
    End,
    Error,
    Name,
    QuotedName,
    String,
    Number,
    LParen,
    RParen,
    Comma,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    Not,
    In,
    Is,
    Null,
    Like,
    Between,
    True,
    False,
    Date,
}
