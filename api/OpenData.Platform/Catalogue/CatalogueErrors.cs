using OpenData.Platform.Common;

namespace OpenData.Platform.Catalogue;

/// <summary>Error codes of the catalogue: datasets that do not exist, are not published yet, or are not the caller's to change.</summary>
internal static class CatalogueErrors
{
    [ErrorCode(404, "no dataset has this id (for a change: the caller's organisation owns none with it)")]
    public const string DatasetNotFound = "dataset.not_found";

    [ErrorCode(409, "the dataset has no published version yet: its owner has to upload rows first")]
    public const string DatasetNotPublished = "dataset.not_published";

    [ErrorCode(404, "the dataset has no column with this name")]
    public const string UnknownColumn = "dataset.unknown_column";

    [ErrorCode(403, "only a data-owning organisation's tenant, or a provider the operator licensed, declares datasets")]
    public const string OwnerRequired = "dataset.owner_required";

    [ErrorCode(403, "the caller's provider licence was revoked: its datasets stay readable, but it publishes no new dataset or version")]
    public const string LicenceRevoked = "dataset.licence_revoked";

    [ErrorCode(403, "a licensed provider derives only from data it may read: an open dataset, or one it holds a grant in force for")]
    public const string SourceNotReadable = "dataset.source_not_readable";

    [ErrorCode(409, "a dataset with this id exists already")]
    public const string DatasetExists = "dataset.exists";
}
