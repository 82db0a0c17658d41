using System.Security.Claims;

namespace OpenData.Platform.Quotas;

/// <summary>How many rows a read may stream for this caller: the plan's <c>dailyRows</c> and, for exports, <c>exportRows</c>.</summary>
public interface IRowAllowance
{
    /// <summary>Reserves up to <paramref name="wanted"/> rows of a dataset; settle the reservation with the rows actually sent.</summary>
    ValueTask<RowReservation> ReserveAsync(ClaimsPrincipal caller, string datasetId, long wanted, bool export, CancellationToken cancellationToken);
}

/// <summary>Rows granted to one read; <see cref="Settle"/> counts what was sent and gives the rest back.</summary>
public sealed class RowReservation(long granted, string? limitedBy, Action<long>? settle)
{
    private Action<long>? _settle = settle;

    public long Granted { get; } = granted;

    /// <summary>Which limit cut the read short (<c>exportRows</c> or <c>dailyRows</c>), or null.</summary>
    public string? LimitedBy { get; } = limitedBy;

    public static RowReservation Unlimited(long wanted) => new(wanted, null, null);

    public void Settle(long used) => Interlocked.Exchange(ref _settle, null)?.Invoke(Math.Min(used, Granted));
}
