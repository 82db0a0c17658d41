using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Quotas;

namespace OpenData.Platform.Analytics.Verification;

/// <summary>
/// Routes of verification products: the owner's <c>PUT</c>/<c>GET /v1/datasets/{id}/verification</c>, and
/// <c>POST /v1/datasets/{id}/verify</c> for a tenant holding a <c>verify</c> grant.
/// </summary>
internal static class VerificationEndpoints
{
    public static RouteGroupBuilder MapVerification(this IEndpointRouteBuilder routes)
    {
        // Checked against the real rows, through a live grant: never in the sandbox.
        var group = routes.MapGroup("/v1/datasets/{id}").WithTags("Verification").LiveOnly("verification against the real rows");
        group.MapPut("/verification", Define).WithName("DefineVerification").RequireAuthorization(Scopes.DatasetsWrite)
            .Refuses(CommonErrors.Validation, VerificationErrors.NotOwner, CatalogueErrors.DatasetNotFound)
            .WithSummary("The owner defines the dataset's verification: key columns in (`keys`, the first identifying), `answer` match or fields out; never a row value.");
        group.MapGet("/verification", Get).WithName("GetVerification").RequireAuthorization(Scopes.DatasetsWrite)
            .Refuses(VerificationErrors.NotOwner, VerificationErrors.NotDefined, CatalogueErrors.DatasetNotFound)
            .WithSummary("The dataset's verification, for its owner.");
        group.MapPost("/verify", Verify).WithName("Verify").RequireAuthorization().WithMetadata(Metered.Instance)
            .Refuses(CommonErrors.Validation, VerificationErrors.GrantRequired, VerificationErrors.NotDefined, VerificationErrors.RateLimited,
                VerificationErrors.NoMatchLimit, QuotasErrors.DailyExceeded, CatalogueErrors.DatasetNotFound, CatalogueErrors.DatasetNotPublished)
            .WithSummary("Checks 1 to 100 records against the dataset's rows with a verify grant: `{results: [{match, fields?}]}`, never a row value; "
                + "each record counts as a row; no_match answers per day are bounded.");
        return group;
    }

    private static Results<Ok<T>, ProblemHttpResult> Answer<T>(Outcome<T> outcome) =>
        outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);

    internal static async Task<Results<Ok<VerificationView>, ProblemHttpResult>> Define(
        string id, VerificationDefinition body, ClaimsPrincipal user, VerificationService verification, CancellationToken cancellationToken) =>
        Answer(await verification.DefineAsync(user, id, body, cancellationToken));

    internal static async Task<Results<Ok<VerificationView>, ProblemHttpResult>> Get(
        string id, ClaimsPrincipal user, VerificationService verification, CancellationToken cancellationToken) =>
        Answer(await verification.GetAsync(user, id, cancellationToken));

    // A refusal that names a time to wait (the rate, the no_match limit, the daily rows) sends it as Retry-After.
    internal static async Task<Results<Ok<VerifyAnswer>, ProblemHttpResult>> Verify(
        string id, VerifyCall body, HttpContext context, VerificationService verification, CancellationToken cancellationToken)
    {
        var outcome = await verification.VerifyAsync(context.User, context.Features.Get<QuotaSubject>(), id, body, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal, context.Response) : TypedResults.Ok(outcome.Value!);
    }
}
