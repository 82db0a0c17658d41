using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using OpenData.Platform.Common;

namespace OpenData.Platform.Audit;

/// <summary>
/// Audit entries as CSV, as <c>GET /v1/audit?format=csv</c> and the console's export write them: one line per entry, its
/// details as JSON in one cell, text that a spreadsheet would run as a formula defused (<see cref="CsvCell"/>).
/// </summary>
internal static class AuditCsv
{
    public const string Header = "seq,at,type,actorTenant,actorApp,datasetId,ownerId,subject,details,prevHash,hash\r\n";

    /// <summary>Writes the header and every entry of <paramref name="rows"/> as it is read.</summary>
    public static async Task WriteAsync(HttpResponse response, AuditRowStream rows, bool defuse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(rows);
        await response.WriteAsync(Header, cancellationToken);
        await foreach (var row in rows.ReadAllAsync(cancellationToken))
        {
            await response.WriteAsync(Line(row, defuse), cancellationToken);
        }
    }

    /// <summary>One entry as a CSV line; <c>details</c> is its JSON in one cell.</summary>
    public static string Line(AuditRow r, bool defuse)
    {
        ArgumentNullException.ThrowIfNull(r);
        var line = new StringBuilder().Append(r.Seq.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(r.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        foreach (var text in (string?[])[r.Type, r.ActorTenant, r.ActorApp, r.DatasetId, r.OwnerId, r.Subject, r.Details, r.PrevHash, r.Hash])
        {
            CsvCell.AppendText(line.Append(','), text, defuse);
        }
        return line.Append("\r\n").ToString();
    }
}
