namespace OpenData.Platform.Quotas;

/// <summary>
/// Rows count against the plan's <c>dailyRows</c> as they are read: a page reserves its limit from the day's allowance (and
/// is cut to what is left), an export reserves up to <c>exportRows</c>; unused rows go back when the read settles. Reads
/// without a subject (the CLI, tests of the reader) are not limited. It writes nothing to a response: a reservation of
/// nothing carries the seconds to the reset, and the caller's refusal says them.
/// </summary>
internal sealed class PlanRowAllowance(DailyAllowance allowance, QuotaDay day) : IRowAllowance
{
    public const string Metric = "rows";

    public async ValueTask<RowReservation> ReserveAsync(QuotaSubject? subject, string datasetId, long wanted, bool export, CancellationToken cancellationToken)
    {
        if (subject is null)
        {
            return RowReservation.Unlimited(wanted);
        }
        string? limitedBy = null;
        var want = wanted;
        if (export && subject.Limits.ExportRows is { } exportRows && exportRows < want)
        {
            want = exportRows;
            limitedBy = "exportRows";
        }
        if (subject.Limits.DailyRows is not { } dailyRows)
        {
            return new RowReservation(want, limitedBy, used => subject.AddRows(datasetId, used));
        }
        var got = want == 0 ? 0 : await allowance.TakeAsync(subject.Partition, Metric, dailyRows, want, cancellationToken);
        long? retryAfter = null;
        if (got < want)
        {
            limitedBy = "dailyRows";
            if (got == 0)
            {
                retryAfter = day.SecondsToReset;
            }
        }
        return new RowReservation(got, limitedBy, used =>
        {
            subject.AddRows(datasetId, used);
            allowance.GiveBack(subject.Partition, Metric, got - used);
        }, retryAfter);
    }
}
