using GraphQL;
using GraphQL.Types;
using OpenData.Platform.GraphQL;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Access.GraphQL;

/// <summary>
/// The access workflow as mutations, each the same call as its REST route (same scope, checks, transaction, audit entries
/// and webhooks): <c>requestAccess</c>, <c>decideAccessRequest</c>, <c>withdrawAccessRequest</c>, <c>resubmitAccessRequest</c>, <c>revokeGrant</c>.
/// </summary>
internal sealed class AccessMutations : IMutationFields
{
    // Requests and grants exist only in the live environment, as on REST (AccessEndpoints).
    internal const string Action = "access requests and grants";

    public void AddTo(MutationGraphType mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        mutation.Field<AccessRequestGraphType>("requestAccess")
            .Description("Ask for rows of a restricted or sensitive dataset (scope access:request), as POST /v1/access-requests.")
            .Argument<NonNullGraphType<IdGraphType>>("datasetId")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("columns", "The columns needed; all when left out.")
            .Argument<NonNullGraphType<StringGraphType>>("purpose", "What the data is for, 10 to 2000 characters.")
            .Argument<NonNullGraphType<IntGraphType>>("durationDays", $"1 to {AccessService.MaxDurationDays}.")
            .Argument<StringGraphType>("appId", "The client_id of the one app that will read, if only one.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("linkage", "Linkage domains of the policy whose tokens should match the tenant's other datasets'.")
            .Argument<StringGraphType>("kind", "records (rows, the default) or verify (the dataset's verification only: no columns, no linkage).")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User, Scopes.AccessRequest);
                GraphErrors.RequireLive(c.User, Action);
                var body = new NewAccessRequest(c.GetArgument<string>("datasetId"), c.GetArgument<List<string>?>("columns"), c.GetArgument<string>("purpose"),
                    c.GetArgument<int>("durationDays"), c.GetArgument<string?>("appId"), c.GetArgument<List<string>?>("linkage"),
                    c.GetArgument<string?>("kind"));
                return GraphErrors.ValueOf(await AccessQueries.Access(c).SubmitAsync(c.User!, body, c.CancellationToken));
            });
        mutation.Field<AccessRequestGraphType>("decideAccessRequest")
            .Description("Approve (optionally narrowing columns and expiry), reject or request changes, with a reason (scope access:review).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<AccessDecisionGraphType>>("decision")
            .Argument<NonNullGraphType<StringGraphType>>("reason", "Why; the requester reads it.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("columns", "An approval may narrow the columns.")
            .Argument<DateTimeOffsetGraphType>("expiresAt", "An approval may end earlier than asked.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("linkage",
                "The linkage domains the owner approves (absent: those asked for); the platform's review may only narrow them.")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User, Scopes.AccessReview);
                GraphErrors.RequireLive(c.User, Action);
                var body = new AccessDecision(c.GetArgument<string>("decision"), c.GetArgument<string>("reason"), c.GetArgument<List<string>?>("columns"),
                    c.GetArgument<DateTimeOffset?>("expiresAt"), c.GetArgument<List<string>?>("linkage"));
                return GraphErrors.ValueOf(await AccessQueries.Access(c).DecideAsync(c.User!, c.GetArgument<string>("id"), body, c.CancellationToken));
            });
        mutation.Field<AccessRequestGraphType>("withdrawAccessRequest")
            .Description("The requester withdraws an open request (scope access:request).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<StringGraphType>("reason")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User, Scopes.AccessRequest);
                GraphErrors.RequireLive(c.User, Action);
                var body = new AccessChange(c.GetArgument<string?>("reason"), null, null, null);
                return GraphErrors.ValueOf(await AccessQueries.Access(c).WithdrawAsync(c.User!, c.GetArgument<string>("id"), body, c.CancellationToken));
            });
        mutation.Field<AccessRequestGraphType>("resubmitAccessRequest")
            .Description("The requester resubmits after changes were requested, optionally changing what is asked (scope access:request).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<StringGraphType>("reason")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("columns")
            .Argument<StringGraphType>("purpose")
            .Argument<IntGraphType>("durationDays")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("linkage")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User, Scopes.AccessRequest);
                GraphErrors.RequireLive(c.User, Action);
                var body = new AccessChange(c.GetArgument<string?>("reason"), c.GetArgument<List<string>?>("columns"), c.GetArgument<string?>("purpose"),
                    c.GetArgument<int?>("durationDays"), c.GetArgument<List<string>?>("linkage"));
                return GraphErrors.ValueOf(await AccessQueries.Access(c).ResubmitAsync(c.User!, c.GetArgument<string>("id"), body, c.CancellationToken));
            });
        mutation.Field<GrantGraphType>("revokeGrant")
            .Description("The dataset's owner or the operator revokes a grant, with a reason (scope access:review); reads stop on the next request.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User, Scopes.AccessReview);
                GraphErrors.RequireLive(c.User, Action);
                var body = new GrantRevocation(c.GetArgument<string>("reason"));
                return GraphErrors.ValueOf(await AccessQueries.Access(c).RevokeAsync(c.User!, c.GetArgument<string>("id"), body, c.CancellationToken));
            });
    }
}
