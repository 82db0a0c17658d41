using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Access;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Quotas;
using OpenData.Portal.Browsing;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The platform's figures, for its operators: metered requests, rows read and 429 answers per day over the last 30 days (a chart
/// with its table), the datasets most rows were read from (<see cref="QuotaReports.PlatformFiguresAsync"/>), and the access
/// requests awaiting a decision by how long they have waited, at the owner's stage and at the platform's
/// (<see cref="AccessService.WaitingAsync"/>). Anyone else is refused (403).
/// </summary>
internal sealed class FiguresModel(QuotaReports reports, AccessService access, CatalogueStore catalogue, TimeProvider clock) : ConsolePageModel
{
    public const int Days = 30;

    public const int Top = 10;

    /// <summary>The age buckets of pending reviews, in days: [0, 1), [1, 3), [3, 7), [7, ∞).</summary>
    public static readonly IReadOnlyList<string> Buckets = ["under1", "1to3", "3to7", "over7"];

    public PlatformFigures? Figures { get; private set; }

    /// <summary>Titles of the top datasets (id → title and its language).</summary>
    public IReadOnlyDictionary<string, ShownText> Titles { get; private set; } = new Dictionary<string, ShownText>();

    /// <summary>Pending reviews per bucket: the owner's stage and the platform's.</summary>
    public IReadOnlyList<(string Bucket, int Owner, int Platform)> Pending { get; private set; } = [];

    /// <summary>Why nothing is shown (a person who is not an operator), or null.</summary>
    public Platform.Common.Refusal? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var figures = await reports.PlatformFiguresAsync(Person.Principal, Days, Top, cancellationToken);
        var waiting = await access.WaitingAsync(Person.Principal, cancellationToken);
        if (figures.Refusal is not null || waiting.Refusal is not null)
        {
            Refusal = PoliciesModel.OperatorsOnly();
            Response.StatusCode = Refusal.Status;
            return Page();
        }
        Figures = figures.Value!;
        var rows = await catalogue.RowsAsync(Figures.TopDatasets.Select(d => d.Dataset).ToList(), cancellationToken);
        Titles = rows.ToDictionary(d => d.Id, d => d.ShownTitle(), StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var aged = waiting.Value!.Select(w => (w.Status, Bucket: Bucket(now - w.Since))).ToList();
        Pending = Buckets.Select(b => (b, aged.Count(a => a.Bucket == b && a.Status == AccessWorkflow.Submitted), aged.Count(a => a.Bucket == b && a.Status == AccessWorkflow.OwnerApproved))).ToList();
        return Page();
    }

    private static string Bucket(TimeSpan waited) => waited.TotalDays switch
    {
        < 1 => "under1",
        < 3 => "1to3",
        < 7 => "3to7",
        _ => "over7",
    };
}
