using System.Globalization;
using System.Text;
using OpenData.Platform.Common;

namespace OpenData.Platform.Marketplace.Statements;

/// <summary>
/// A statement as CSV (<c>GET /v1/statements?format=csv</c>, and the portal's download): one row per line, then the adjustments and
/// the total; text cells defused against formulas unless the caller asked for them raw.
/// </summary>
internal static class StatementCsv
{
    public const string Header = "kind,month,subscription,product,provider,subscriber,app,plan,price_model,unit_price,from,to,calls,rows,quantity,amount,reason\r\n";

    public static string Write(StatementView statement, bool defuse)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var text = new StringBuilder(Header);
        foreach (var l in statement.Lines)
        {
            text.Append(CultureInfo.InvariantCulture, $"line,{statement.Month},");
            foreach (var cell in new[] { l.SubscriptionId, l.ProductId, l.Provider, l.Subscriber, l.AppId, l.Plan, l.PriceModel })
            {
                CsvCell.AppendText(text, cell, defuse).Append(',');
            }
            text.Append(CultureInfo.InvariantCulture, $"{l.UnitPrice},{l.From},{l.To},{l.Calls},{l.Rows},{l.Quantity},{l.Amount},\r\n");
        }
        foreach (var a in statement.Adjustments)
        {
            text.Append(CultureInfo.InvariantCulture, $"adjustment,{a.CorrectsMonth},");
            foreach (var cell in new[] { a.SubscriptionId, a.ProductId, a.Provider, a.Subscriber })
            {
                CsvCell.AppendText(text, cell, defuse).Append(',');
            }
            text.Append(CultureInfo.InvariantCulture, $",,,,,,,,,{a.Amount},");
            CsvCell.AppendText(text, a.Reason, defuse).Append("\r\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"total,{statement.Month},,,,,,,,,,,,,,{statement.Total},\r\n");
        return text.ToString();
    }

    /// <summary>The download's file name: <c>statement-{month}-{role}.csv</c>.</summary>
    public static string FileName(StatementView statement) => $"statement-{statement?.Month}-{statement?.Role}.csv";
}
