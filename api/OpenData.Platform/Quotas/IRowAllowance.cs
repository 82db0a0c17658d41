namespace OpenData.Platform.Quotas;

/// <summary>How many rows a read may stream for a quota subject: the plan's <c>dailyRows</c> and, for exports, <c>exportRows</c>.</summary>
internal interface IRowAllowance
{
    /// <summary>
    /// Reserves up to <paramref name="wanted"/> rows of a dataset for <paramref name="subject"/> (null: a read outside a metered
    /// request, such as the CLI, which is not limited); settle the reservation with the rows actually sent.
    /// </summary>
    ValueTask<RowReservation> ReserveAsync(QuotaSubject? subject, string datasetId, long wanted, bool export, CancellationToken cancellationToken);
}

/// <summary>Rows granted to one read; <see cref="Settle"/> counts what was sent and gives the rest back.</summary>
internal sealed class RowReservation(long granted, string? limitedBy, Action<long>? settle, long? retryAfterSeconds = null)
{
    private Action<long>? _settle = settle;

    public long Granted { get; } = granted;

    /// <summary>Which limit cut the read short (<c>exportRows</c> or <c>dailyRows</c>), or null.</summary>
    public string? LimitedBy { get; } = limitedBy;

    /// <summary>When nothing was granted because today's rows are used up: seconds until the quota day resets.</summary>
    public long? RetryAfterSeconds { get; } = retryAfterSeconds;

    public static RowReservation Unlimited(long wanted) => new(wanted, null, null);

    public void Settle(long used) => Interlocked.Exchange(ref _settle, null)?.Invoke(Math.Min(used, Granted));
}
