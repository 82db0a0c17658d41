using GraphQL.Types;

namespace OpenData.Platform.Tenancy.GraphQL;

/// <summary><c>type Me</c>: who the token speaks for (as GET /v1/me).</summary>
internal sealed class MeGraphType : ObjectGraphType<Me>
{
    public MeGraphType()
    {
        Name = "Me";
        Description = "Who the access token speaks for.";
        Field<StringGraphType>("tenant").Resolve(c => c.Source.Tenant);
        Field<StringGraphType>("tenantName").Resolve(c => c.Source.TenantName);
        Field<StringGraphType>("app").Description("The app's client_id.").Resolve(c => c.Source.App);
        Field<StringGraphType>("environment").Description("live or sandbox.").Resolve(c => c.Source.Environment);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("scopes").Resolve(c => c.Source.Scopes);
        Field<StringGraphType>("plan").Description("The quota plan: a bound app's own (a contest team's app: contest), else the tenant's.").Resolve(c => c.Source.Plan);
    }
}
