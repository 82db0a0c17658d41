using OpenData.Platform.Common;

namespace OpenData.Platform.Ingestion;

/// <summary>Error codes of ingestion: uploads of versions and their jobs.</summary>
internal static class IngestionErrors
{
    [ErrorCode(403, "the dataset belongs to another organisation: only its owner publishes versions")]
    public const string NotOwner = "dataset.not_owner";

    [ErrorCode(415, "the charset is neither utf-8 nor gb18030")]
    public const string UnsupportedCharset = "ingestion.unsupported_charset";

    [ErrorCode(400, "the body is empty: send a CSV with a header line and rows")]
    public const string Empty = "ingestion.empty";

    [ErrorCode(413, "the file is larger than the upload limit: split it, or load it with the operator command `import`")]
    public const string TooLarge = "ingestion.too_large";

    [ErrorCode(404, "no ingestion job with this id for the caller's organisation")]
    public const string JobNotFound = "ingestion.not_found";
}
