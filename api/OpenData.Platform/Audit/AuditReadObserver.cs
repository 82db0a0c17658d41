using System.Security.Claims;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Audit;

/// <summary>
/// Audits every read of restricted or sensitive data (one entry per request: dataset, version, columns, rows, query hash; never a
/// value) and every read in which the outbound check masked values (one <c>outbound.leak_masked</c> entry: each column, kind and count).
/// </summary>
internal sealed class AuditReadObserver(AuditLog audit) : IRecordReadObserver
{

    public async ValueTask OnReadAsync(ClaimsPrincipal caller, ReadReport report, CancellationToken cancellationToken)
    {
        if (report.Sandbox || (!report.Restricted && report.Leaks.Count == 0))
        {
            return;
        }
        var tenant = caller.TenantId();
        var app = caller.Actor();
        var events = new List<AuditEvent>(2);
        if (report.Restricted)
        {
            var details = AuditDetails.Of(("version", report.Version), ("columns", report.Columns), ("rows", report.Rows), ("queryHash", report.QueryHash));
            if (report.Outcome is not null)
            {
                // An export's rows are those that left before it ended; the outcome says whether that is the whole version.
                details["outcome"] = report.Outcome;
            }
            events.Add(new AuditEvent(report.Aggregate ? "aggregate.read" : report.Export ? "records.exported" : "records.read", tenant, app, report.DatasetId, report.OwnerId, tenant, details));
        }
        if (report.Leaks.Count > 0)
        {
            // One entry per read for everything the check masked in it (column, kind, count each): a page with leaks in
            // several columns costs the chain one entry, not one per column and kind.
            events.Add(new AuditEvent("outbound.leak_masked", tenant, app, report.DatasetId, report.OwnerId, tenant,
                AuditDetails.Of(("queryHash", report.QueryHash), ("leaks", report.Leaks.Select(l => AuditDetails.Of(("column", l.Column), ("kind", l.Kind.ToString()), ("count", l.Count))).ToList()))));
        }
        // One wait for the read's entries, committed with whatever other requests queued meanwhile.
        await audit.AppendAsync(events, CancellationToken.None);
    }
}
