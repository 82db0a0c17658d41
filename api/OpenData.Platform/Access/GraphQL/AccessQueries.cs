using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Access.GraphQL;

/// <summary>The access module's root fields: <c>accessRequests</c>, <c>accessRequest</c>, <c>grants</c> (any live token, as REST).</summary>
internal sealed class AccessQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AccessRequestGraphType>>>>("accessRequests")
            .Description("The caller's requests (role: requester), those on its datasets (role: reviewer), or both; status filters.")
            .Argument<StringGraphType>("role", "requester or reviewer; both when left out.")
            .Argument<StringGraphType>("status", "submitted, owner_approved, changes_requested, approved, rejected or withdrawn.")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User);
                GraphErrors.RequireLive(c.User, AccessMutations.Action);
                return GraphErrors.ValueOf(await Access(c).ListAsync(c.User!, c.GetArgument<string?>("role"), c.GetArgument<string?>("status"), c.CancellationToken)).Items;
            });
        query.Field<AccessRequestGraphType>("accessRequest")
            .Description("One request with its history; an error with code access.request_not_found when the caller cannot see it.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User);
                GraphErrors.RequireLive(c.User, AccessMutations.Action);
                return GraphErrors.ValueOf(await Access(c).GetAsync(c.User!, c.GetArgument<string>("id"), c.CancellationToken));
            });
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<GrantGraphType>>>>("grants")
            .Description("Active and past grants: the caller's own and those on its datasets.")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User);
                GraphErrors.RequireLive(c.User, AccessMutations.Action);
                return (await Access(c).ListGrantsAsync(c.User!, c.CancellationToken)).Items;
            });
    }

    internal static AccessService Access(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<AccessService>();
}
