using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Common;
using OpenData.Portal.Developer;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// A judge's entries (as <c>GET /v1/contests/{id}/entries</c>, <see cref="JudgingService.EntriesAsync"/>), blind: each entry by its
/// code with what was submitted, never a team's or tenant's name; a scoring form per entry, a score for each criterion of the
/// rubric and a comment (<see cref="JudgingService.ScoreAsync"/>; scoring again replaces the judge's scorecard). Someone who is
/// no judge of the contest is told so (403); before the submission deadline the page says when judging opens.
/// </summary>
internal sealed class ContestJudgeModel(ContestService contests, JudgingService judging) : ConsolePageModel
{
    public string Id { get; private set; } = "";

    public Contest? Contest { get; private set; }

    public JudgeEntryList? Entries { get; private set; }

    /// <summary>Why no entries are shown: not a judge (403), judging not open yet (409); else null.</summary>
    public Refusal? Unavailable { get; private set; }

    /// <summary>The entry a posted scorecard was for (its refusals are shown on its form), and the one just scored.</summary>
    public string? PostedEntry { get; private set; }

    public string? Scored { get; private set; }

    /// <summary>The scores typed, in the rubric's order.</summary>
    [BindProperty]
    public List<string?> Scores { get; set; } = [];

    [BindProperty]
    public string? Comment { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostScoreAsync(string id, string? entry, CancellationToken cancellationToken)
    {
        PostedEntry = entry;
        var rubric = (await contests.GetAsync(id, cancellationToken)).Value?.Rubric ?? [];
        var inputs = rubric.Select((c, i) => new ScoreInput(c.Name,
            i < Scores.Count && double.TryParse(Scores[i]?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var score) ? score : null)).ToList();
        var scored = await judging.ScoreAsync(Person.Principal, id, new NewScore(entry, inputs, Comment), cancellationToken);
        await LoadAsync(id, cancellationToken);
        if (scored.Refusal is { } refusal)
        {
            return Refused("Score", refusal, new Dictionary<string, string>
            {
                [JudgingErrors.EntryNotFound] = "entry", [ContestErrors.ResultsPublished] = "entry", [JudgingErrors.JudgingNotOpen] = "entry",
                [JudgingErrors.NotAJudge] = "entry",
            });
        }
        Scored = entry;
        return Page();
    }

    /// <summary>The scores shown in an entry's form: what was just typed for the entry posted, else the judge's scorecard.</summary>
    public string? ScoreShown(JudgeEntry entry, int index)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (PostedEntry == entry.Entry && Scored is null)
        {
            return index < Scores.Count ? Scores[index] : null;
        }
        var criterion = Entries!.Rubric[index].Name;
        return entry.MyScore?.Scores.FirstOrDefault(s => s.Criterion == criterion)?.Score.ToString(CultureInfo.InvariantCulture);
    }

    public string? CommentShown(JudgeEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return PostedEntry == entry.Entry && Scored is null ? Comment : entry.MyScore?.Comment;
    }

    private async Task LoadAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        Contest = (await contests.GetAsync(id, cancellationToken)).Value;
        if (Contest is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var found = await judging.EntriesAsync(Person.Principal, id, cancellationToken);
        Entries = found.Value;
        Unavailable = found.Refusal;
        if (Unavailable is { } refusal)
        {
            Response.StatusCode = refusal.Status;
        }
    }
}
