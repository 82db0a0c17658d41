using System.Security.Claims;
using OpenData.Platform.Auth;
using OpenData.Platform.Records;

namespace OpenData.Platform.Audit;

/// <summary>
/// Audits every read of restricted or sensitive data (one entry per request: dataset, version, columns, rows, query hash; never a
/// value) and every <c>outbound.leak_masked</c> event (dataset, column, kind, count).
/// </summary>
internal sealed class AuditReadObserver(AuditLog audit) : IRecordReadObserver
{
    public async ValueTask OnReadAsync(ClaimsPrincipal caller, ReadReport report, CancellationToken cancellationToken)
    {
        if (!report.Restricted && report.Leaks.Count == 0)
        {
            return;
        }
        var tenant = caller.TenantId();
        var app = caller.FindFirst(PlatformClaims.ClientId)?.Value;
        var events = new List<AuditEvent>(1 + report.Leaks.Count);
        if (report.Restricted)
        {
            events.Add(new AuditEvent(report.Export ? "records.exported" : "records.read", tenant, app, report.DatasetId, report.OwnerId, tenant,
                AuditEndpoints.Details(("version", report.Version), ("columns", report.Columns), ("rows", report.Rows), ("queryHash", report.QueryHash))));
        }
        foreach (var leak in report.Leaks)
        {
            events.Add(new AuditEvent("outbound.leak_masked", tenant, app, report.DatasetId, report.OwnerId, tenant,
                AuditEndpoints.Details(("column", leak.Column), ("kind", leak.Kind.ToString()), ("count", leak.Count))));
        }
        // One wait for the read's entries, committed with whatever other requests queued meanwhile.
        await audit.AppendAsync(events, CancellationToken.None);
    }
}
