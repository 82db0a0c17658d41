using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Access;

/// <summary>
/// Access to restricted data: requests, the owner's (and for L3 the platform's) decisions, withdrawal and resubmission, grants
/// and their revocation. A request or grant outside the caller's reach answers 404; an action its state does not allow, 409.
/// </summary>
internal static class AccessEndpoints
{
    public static RouteGroupBuilder MapAccess(this IEndpointRouteBuilder routes)
    {
        // Requests and grants exist only in the live environment (a sandbox app reads twins without one): no sandbox token reaches them.
        var group = routes.MapGroup("/v1").WithTags("Access").LiveOnly("access requests and grants");
        group.MapPost("/access-requests", Submit).WithName("SubmitAccessRequest").RequireAuthorization(Scopes.AccessRequest)
            .Refuses(CommonErrors.Validation, AccessErrors.InvalidLinkage, CatalogueErrors.DatasetNotFound, AccessErrors.RequestOpen)
            .WithSummary("Ask for rows of a restricted or sensitive dataset: columns, purpose, duration, optionally the app and linkage domains.");
        group.MapGet("/access-requests", List).WithName("ListAccessRequests").RequireAuthorization()
            .Refuses(CommonErrors.InvalidParameter)
            .WithSummary("The caller's requests (role=requester), those on its datasets (role=reviewer), or both; status filters.");
        group.MapGet("/access-requests/{id}", Get).WithName("GetAccessRequest").RequireAuthorization()
            .Refuses(AccessErrors.RequestNotFound)
            .WithSummary("A request with the full history of its transitions.");
        group.MapPost("/access-requests/{id}/decision", Decide).WithName("DecideAccessRequest").RequireAuthorization(Scopes.AccessReview)
            .Refuses(CommonErrors.Validation, AccessErrors.InvalidLinkage, AccessErrors.NotReviewer, AccessErrors.RequestNotFound, AccessErrors.InvalidTransition)
            .WithSummary("Approve (optionally narrowing columns and expiry, setting linkage), reject or request changes, with a reason. L3: the owner, then the platform.");
        group.MapPost("/access-requests/{id}/withdraw", Withdraw).WithName("WithdrawAccessRequest").RequireAuthorization(Scopes.AccessRequest)
            .Refuses(AccessErrors.NotRequester, AccessErrors.RequestNotFound, AccessErrors.InvalidTransition)
            .WithSummary("The requester withdraws a request that is still open.");
        group.MapPost("/access-requests/{id}/resubmit", Resubmit).WithName("ResubmitAccessRequest").RequireAuthorization(Scopes.AccessRequest)
            .Refuses(CommonErrors.Validation, AccessErrors.InvalidLinkage, AccessErrors.NotRequester, AccessErrors.RequestNotFound, AccessErrors.InvalidTransition)
            .WithSummary("The requester resubmits after changes were requested, optionally changing columns, purpose or duration.");
        group.MapPatch("/access-requests/{id}", EditDraft).WithName("EditAccessRequestDraft").RequireAuthorization(Scopes.AccessRequest)
            .LiveOnly("editing an access request")
            .Refuses(CommonErrors.Validation, AccessErrors.InvalidLinkage, AccessErrors.NotRequester, AccessErrors.RequestNotFound, AccessErrors.InvalidTransition,
                CatalogueErrors.DatasetNotFound)
            .WithSummary("The requester completes a draft (columns, purpose, durationDays, appId, linkage) without submitting it; a draft may lack its purpose.");
        group.MapPost("/access-requests/{id}/submit", SubmitDraft).WithName("SubmitAccessRequestDraft").RequireAuthorization(Scopes.AccessRequest)
            .LiveOnly("submitting an access request")
            .Refuses(CommonErrors.Validation, AccessErrors.InvalidLinkage, AccessErrors.NotRequester, AccessErrors.RequestNotFound, AccessErrors.InvalidTransition,
                AccessErrors.RequestOpen, CatalogueErrors.DatasetNotFound)
            .WithSummary("The requester submits a draft, optionally changing it in the same call; only then does the dataset's owner see it.");
        group.MapGet("/grants", ListGrants).WithName("ListGrants").RequireAuthorization()
            .WithSummary("Active and past grants: the caller's own and those on its datasets.");
        group.MapPost("/grants/{id}/revoke", Revoke).WithName("RevokeGrant").RequireAuthorization(Scopes.AccessReview)
            .Refuses(CommonErrors.Validation, AccessErrors.GrantNotFound, AccessErrors.GrantRevoked)
            .WithSummary("The dataset's owner or the operator revokes a grant, with a reason; reads stop on the next request.");
        return group;
    }

    private static Results<Ok<T>, ProblemHttpResult> Answer<T>(Outcome<T> outcome) =>
        outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);

    internal static async Task<Results<Created<AccessRequestView>, ProblemHttpResult>> Submit(
        NewAccessRequest body, ClaimsPrincipal user, AccessService access, HttpRequest request, CancellationToken cancellationToken)
    {
        var outcome = await access.SubmitAsync(user, body, cancellationToken);
        return outcome.Refusal is { } refusal
            ? Problems.From(refusal)
            : TypedResults.Created($"{PublicUrl.Base(request)}/v1/access-requests/{outcome.Value!.Id}", outcome.Value);
    }

    internal static async Task<Results<Ok<AccessRequestList>, ProblemHttpResult>> List(
        string? role, string? status, ClaimsPrincipal user, AccessService access, CancellationToken cancellationToken) =>
        Answer(await access.ListAsync(user, role, status, cancellationToken));

    internal static async Task<Results<Ok<AccessRequestView>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, AccessService access, CancellationToken cancellationToken) =>
        Answer(await access.GetAsync(user, id, cancellationToken));

    internal static async Task<Results<Ok<AccessRequestView>, ProblemHttpResult>> Decide(
        string id, AccessDecision body, ClaimsPrincipal user, AccessService access, CancellationToken cancellationToken) =>
        Answer(await access.DecideAsync(user, id, body, cancellationToken));

    internal static async Task<Results<Ok<AccessRequestView>, ProblemHttpResult>> Withdraw(
        string id, AccessChange? body, ClaimsPrincipal user, AccessService access, CancellationToken cancellationToken) =>
        Answer(await access.WithdrawAsync(user, id, body, cancellationToken));

    internal static async Task<Results<Ok<AccessRequestView>, ProblemHttpResult>> Resubmit(
        string id, AccessChange? body, ClaimsPrincipal user, AccessService access, CancellationToken cancellationToken) =>
        Answer(await access.ResubmitAsync(user, id, body, cancellationToken));

    internal static async Task<Results<Ok<AccessRequestView>, ProblemHttpResult>> EditDraft(
        string id, AccessDraftChange body, ClaimsPrincipal user, AccessService access, CancellationToken cancellationToken) =>
        Answer(await access.EditDraftAsync(user, id, body, cancellationToken));

    internal static async Task<Results<Ok<AccessRequestView>, ProblemHttpResult>> SubmitDraft(
        string id, AccessDraftChange? body, ClaimsPrincipal user, AccessService access, CancellationToken cancellationToken) =>
        Answer(await access.SubmitDraftAsync(user, id, body, cancellationToken));

    internal static async Task<Ok<GrantList>> ListGrants(ClaimsPrincipal user, AccessService access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await access.ListGrantsAsync(user, cancellationToken));

    internal static async Task<Results<Ok<GrantView>, ProblemHttpResult>> Revoke(
        string id, GrantRevocation body, ClaimsPrincipal user, AccessService access, CancellationToken cancellationToken) =>
        Answer(await access.RevokeAsync(user, id, body, cancellationToken));
}
