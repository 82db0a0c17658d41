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
        var tenant = caller.TenantId();
        var app = caller.FindFirst(PlatformClaims.ClientId)?.Value;
        if (report.Restricted)
        {
            await audit.AppendAsync(new AuditEvent(report.Export ? "records.exported" : "records.read", tenant, app, report.DatasetId, report.OwnerId, tenant,
                AuditEndpoints.Details(("version", report.Version), ("columns", report.Columns), ("rows", report.Rows), ("queryHash", report.QueryHash))),
                CancellationToken.None);
        }
        foreach (var leak in report.Leaks)
        {
            await audit.AppendAsync(new AuditEvent("outbound.leak_masked", tenant, app, report.DatasetId, report.OwnerId, tenant,
                AuditEndpoints.Details(("column", leak.Column), ("kind", leak.Kind.ToString()), ("count", leak.Count))), CancellationToken.None);
        }
    }
}
