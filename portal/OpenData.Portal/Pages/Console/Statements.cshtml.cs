using System.Text;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Marketplace.Statements;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Developer;
using OpenData.Portal.Marketplace;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// A month's statement in the marketplace (as <c>GET /v1/statements</c>, CST months): the tenant's side as subscriber (the default),
/// or with <c>role=provider</c> the subscriptions to its products with the revenue per product; the operator sees every line and the
/// revenue per provider and product. Lines, adjustments and the total, as <see cref="StatementService.GetAsync"/> gives them; the
/// CSV (<c>?handler=Csv</c>) is the API's, streamed here because the API's route takes a token, not the sign-in cookie.
/// </summary>
internal sealed class StatementsModel(StatementService statements, TenancyStore tenancy, TimeProvider clock) : ConsolePageModel
{
    private const string Form = "Statement";

    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Role { get; set; }

    public StatementView? Statement { get; private set; }

    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    /// <summary>The month shown by default: this one, in China Standard Time.</summary>
    public string ThisMonth => clock.GetUtcNow().ToOffset(ChinaStandardTime).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Month = string.IsNullOrWhiteSpace(Month) ? ThisMonth : Month.Trim();
        var outcome = await statements.GetAsync(Person.Principal, Month, RoleAsked, cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            return Refused(Form, refusal);
        }
        Statement = outcome.Value;
        Names = await MarketNames.ProvidersAsync(tenancy,
            Statement!.Lines.SelectMany(l => new[] { l.Provider, l.Subscriber }).Concat(Statement.Revenue?.Select(r => r.Provider) ?? []), cancellationToken);
        return Page();
    }

    /// <summary>The same statement as CSV (the API's columns and defusing), as a download.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        Month = string.IsNullOrWhiteSpace(Month) ? ThisMonth : Month.Trim();
        var outcome = await statements.GetAsync(Person.Principal, Month, RoleAsked, cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            return Refused(Form, refusal);
        }
        return File(Encoding.UTF8.GetBytes(StatementCsv.Write(outcome.Value!, defuse: true)), "text/csv; charset=utf-8", StatementCsv.FileName(outcome.Value!));
    }

    /// <summary>The side asked for: provider, or the default (the subscriber's; the operator's everything).</summary>
    private string? RoleAsked => string.IsNullOrWhiteSpace(Role) ? null : Role;

    /// <summary>The query string of this statement, for the CSV link and the role switch.</summary>
    public string Query(string? role) => "month=" + Uri.EscapeDataString(Month ?? "") + (role is null ? "" : "&role=" + Uri.EscapeDataString(role));
}
