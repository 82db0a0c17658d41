namespace OpenData.Platform.Storage;

/// <summary>What kind of store failure an exception stands for, so the platform answers it with a coded problem instead of a 500.</summary>
internal enum StoreFailure
{
    /// <summary>Not a failure the platform knows how to answer: a bug, logged and answered 500.</summary>
    None,

    /// <summary>The store does not answer (down, restarting, refusing connections): 503 <c>db.unavailable</c> with <c>Retry-After</c>.</summary>
    Unavailable,

    /// <summary>A statement ran past <see cref="DatabaseOptions.StatementTimeoutSeconds"/> and the store stopped it: 503 <c>query.timeout</c>.</summary>
    StatementTimeout,

    /// <summary>The disk (or the store's size limit) is full: 507 <c>storage.full</c>; the statement was rolled back.</summary>
    Full,
}
