using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Sandbox.Contests;

/// <summary>Judging: the organiser's <c>/v1/contests/{id}/judges</c>; a judge's blind <c>…/entries</c> and <c>…/scores</c>.</summary>
internal static class JudgingEndpoints
{
    public static RouteGroupBuilder MapJudgingRoutes(this RouteGroupBuilder group)
    {
        group.MapPost("/contests/{id}/judges", AddJudge).WithName("AddContestJudge").RequireAuthorization(Scopes.PlatformAdmin).LiveOnly("naming a contest's judges")
            .Refuses(CommonErrors.Validation, ContestErrors.NotFound, ContestErrors.ResultsPublished, JudgingErrors.PersonNotFound)
            .WithSummary("Name a judge (the organiser): `{email, teams?}` — a person of any tenant, and the teams whose entries they see (absent: all).")
            .WithDescription("The judge is the member who signs in with `email`. A judge never sees the entry of a team of their own tenant, nor of a "
                + "team they are a member of, whatever `teams` says (conflict of interest). Naming a judge again replaces their `teams` (200); "
                + "a new judge answers 201. Until the results are published.");
        group.MapGet("/contests/{id}/judges", ListJudges).WithName("ListContestJudges").RequireAuthorization(Scopes.PlatformAdmin).LiveOnly("naming a contest's judges")
            .Refuses(ContestErrors.NotFound)
            .WithSummary("The judges (the organiser): each person, the teams assigned, the approved teams whose entries they see, those excluded by a conflict of interest, and how many they scored.");
        group.MapDelete("/contests/{id}/judges/{judgeId}", RemoveJudge).WithName("RemoveContestJudge").RequireAuthorization(Scopes.PlatformAdmin)
            .LiveOnly("naming a contest's judges")
            .Refuses(ContestErrors.NotFound, ContestErrors.ResultsPublished, JudgingErrors.JudgeNotFound)
            .WithSummary("Remove a judge and their scorecards (the organiser), until the results are published.");
        group.MapGet("/contests/{id}/entries", Entries).WithName("ListContestEntries").RequireAuthorization().LiveOnly("judging a contest")
            .Refuses(ContestErrors.NotFound, JudgingErrors.NotAJudge, JudgingErrors.JudgingNotOpen)
            .WithSummary("The entries the calling judge scores, blind: each team's latest submission under an opaque `entry` code, with the judge's own scorecard.")
            .WithDescription("For a judge of the contest — a person: signed in, or a token an app obtained for them (authorisation code); an app's own "
                + "token is no judge. Open from the submission deadline on. No team name, id, member or tenant appears; the PDF is downloaded as "
                + "`entry-{code}.pdf` from the entry's `attachment.href`.");
        group.MapGet("/contests/{id}/entries/{entry}/attachment", Attachment).WithName("DownloadContestEntryAttachment").RequireAuthorization().LiveOnly("judging a contest")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .Refuses(ContestErrors.NotFound, JudgingErrors.NotAJudge, JudgingErrors.JudgingNotOpen, JudgingErrors.EntryNotFound, SubmissionErrors.AttachmentNotFound)
            .WithSummary("An entry's PDF for a judge who sees the entry, under the blind name `entry-{code}.pdf`.");
        group.MapPost("/contests/{id}/scores", Score).WithName("ScoreContestEntry").RequireAuthorization().LiveOnly("judging a contest")
            .Refuses(CommonErrors.Validation, ContestErrors.NotFound, ContestErrors.ResultsPublished, JudgingErrors.NotAJudge, JudgingErrors.JudgingNotOpen,
                JudgingErrors.EntryNotFound)
            .WithSummary("A judge scores an entry: `{entry, scores: [{criterion, score}], comment}` — every rubric criterion from 0 to its `max`, and a comment.")
            .WithDescription("Scoring the same entry again replaces the judge's scorecard (200; the first answers 201); the audit trail keeps both. The "
                + "answer's `total` is the judge's weighted mean of the criteria on 0–100: Σ(weight × score / max) / Σ weight × 100. Open from the "
                + "submission deadline until the results are published.");
        return group;
    }

    internal static async Task<Results<Created<Judge>, Ok<Judge>, ProblemHttpResult>> AddJudge(
        string id, NewJudge? body, ClaimsPrincipal user, JudgingService judging, HttpRequest request, CancellationToken cancellationToken)
    {
        var outcome = await judging.AddJudgeAsync(user, id, body, cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            return Problems.From(refusal);
        }
        var (judge, created) = outcome.Value;
        return created ? TypedResults.Created($"{PublicUrl.Base(request)}/v1/contests/{id}/judges", judge) : TypedResults.Ok(judge);
    }

    internal static async Task<Results<Ok<JudgeList>, ProblemHttpResult>> ListJudges(string id, ClaimsPrincipal user, JudgingService judging, CancellationToken cancellationToken) =>
        TeamEndpoints.Answer(await judging.ListJudgesAsync(user, id, cancellationToken));

    internal static async Task<Results<NoContent, ProblemHttpResult>> RemoveJudge(
        string id, string judgeId, ClaimsPrincipal user, JudgingService judging, CancellationToken cancellationToken)
    {
        var outcome = await judging.RemoveJudgeAsync(user, id, judgeId, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<JudgeEntryList>, ProblemHttpResult>> Entries(string id, ClaimsPrincipal user, JudgingService judging, CancellationToken cancellationToken) =>
        TeamEndpoints.Answer(await judging.EntriesAsync(user, id, cancellationToken));

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Attachment(
        string id, string entry, ClaimsPrincipal user, JudgingService judging, HttpResponse response, CancellationToken cancellationToken) =>
        SubmissionEndpoints.File(await judging.AttachmentAsync(user, id, entry, cancellationToken), response);

    internal static async Task<Results<Created<Scorecard>, Ok<Scorecard>, ProblemHttpResult>> Score(
        string id, NewScore? body, ClaimsPrincipal user, JudgingService judging, HttpRequest request, CancellationToken cancellationToken)
    {
        var outcome = await judging.ScoreAsync(user, id, body, cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            return Problems.From(refusal);
        }
        var (card, created) = outcome.Value;
        return created ? TypedResults.Created($"{PublicUrl.Base(request)}/v1/contests/{id}/entries", card) : TypedResults.Ok(card);
    }
}
