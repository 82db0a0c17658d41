using OpenData.Platform.Common;

namespace OpenData.Platform.Records;

/// <summary>
/// Error codes of the read path: the query language (<c>select</c>, <c>where</c>, <c>order_by</c>), cursors, formats and access to
/// rows. Pages, exports and GraphQL's <c>Dataset.records</c> answer them alike.
/// </summary>
internal static class RecordsErrors
{
    [ErrorCode(400, "select, where or order_by does not parse; `position` is where (1-based)")]
    public const string Syntax = "query.syntax";

    [ErrorCode(400, "the query is too long, nests too deep, or has too many comparisons or 'in' values")]
    public const string TooComplex = "query.too_complex";

    [ErrorCode(400, "a column name the dataset does not have; the detail suggests the nearest names")]
    public const string UnknownColumn = "query.unknown_column";

    [ErrorCode(400, "select names a column hidden for this caller")]
    public const string ColumnNotVisible = "query.column_not_visible";

    [ErrorCode(400, "where or order_by names a column this caller sees masked, pseudonymised or suspected, which cannot be filtered or sorted on")]
    public const string ColumnNotFilterable = "query.column_not_filterable";

    [ErrorCode(400, "a value in where is not of the column's type (a text for a number, a malformed date)")]
    public const string TypeMismatch = "query.type_mismatch";

    [ErrorCode(400, "a pseudonym in where is not one the platform issued to this caller for this column")]
    public const string InvalidToken = "query.invalid_token";

    [ErrorCode(400, "a pseudonym in where is longer than any the platform issues")]
    public const string TokenTooLong = "query.token_too_long";

    [ErrorCode(400, "the cursor was issued for another where/order_by: keep them as they were")]
    public const string CursorMismatch = "query.cursor_mismatch";

    [ErrorCode(410, "the cursor's version of the dataset is no longer kept: start again without a cursor")]
    public const string CursorExpired = "query.cursor_expired";

    [ErrorCode(400, "format is not json, csv or ndjson (an export: csv or ndjson)")]
    public const string InvalidFormat = "query.invalid_format";

    [ErrorCode(503, "the query ran past the platform's statement time limit and was stopped: make it cheaper rather than repeat it")]
    public const string Timeout = "query.timeout";

    [ErrorCode(503, "a sandbox read: the version's synthetic twin is still being generated; retry after Retry-After seconds")]
    public const string TwinGenerating = "sandbox.twin_generating";

    [ErrorCode(409, "a sandbox read: the version has no synthetic twin to serve (one that failed a privacy check is never served)")]
    public const string TwinWithheld = "sandbox.twin_unavailable";

    [ErrorCode(403, "the dataset is restricted or sensitive and the caller's tenant holds no grant for its rows: request access")]
    public const string GrantRequired = "access.grant_required";

    [ErrorCode(403, "the caller's app is bound to certain datasets (a contest team's app: the contest's) and this is not one of them")]
    public const string OutsideAppScope = "records.outside_app_scope";
}
