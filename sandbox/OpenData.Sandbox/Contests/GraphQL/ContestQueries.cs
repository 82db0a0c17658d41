using System.Security.Claims;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary>Contests' root fields: <c>contests</c> (as <c>GET /v1/contests</c>) and <c>contest(id)</c>.</summary>
internal sealed class ContestQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ContestGraphType>>>>("contests")
            .Description("Public contests with their phase now (operators see invite-only ones too).")
            .ResolveAsync(async c => (await Contests(c).ListAsync(c.User ?? new ClaimsPrincipal(), c.CancellationToken)).Items);
        query.Field<ContestGraphType>("contest")
            .Description("One contest by id (an invite-only one too); an error with code contest.not_found when there is none.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => GraphErrors.ValueOf(await Contests(c).GetAsync(c.GetArgument<string>("id"), c.CancellationToken)));
    }

    internal static ContestService Contests(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<ContestService>();
}
