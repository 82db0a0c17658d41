using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Tenancy;

/// <summary>Routes of tenancy: tenants, their apps (OAuth clients) and people, and <c>/v1/me</c>. HTTP only; the rules are <see cref="TenancyService"/>'s.</summary>
internal static class TenancyEndpoints
{
    public static RouteGroupBuilder MapTenancy(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Tenancy");
        group.MapPost("/tenants", CreateTenant).WithName("CreateTenant").RequireAuthorization(Scopes.PlatformAdmin).LiveOnly("creating a tenant")
            .Refuses(CommonErrors.Validation, TenancyErrors.TenantExists)
            .WithSummary("Create a tenant: an owner (data-publishing organisation) or a consumer.");
        group.MapGet("/tenants/{id}", GetTenant).WithName("GetTenant").RequireAuthorization().LiveOnly("tenant administration")
            .Refuses(CommonErrors.TenantNotFound)
            .WithSummary("A tenant, for its members and the operator.");
        group.MapPatch("/tenants/{id}", PatchTenant).WithName("PatchTenant").RequireAuthorization(Scopes.PlatformAdmin).LiveOnly("changing a tenant's plan, limits or state")
            .Refuses(CommonErrors.Validation, CommonErrors.TenantNotFound, TenancyErrors.PlatformTenantProtected)
            .WithSummary("Change a tenant's plan, override single limits, or disable the tenant (with a reason) and enable it again.")
            .WithDescription("`{\"disabled\": true, \"reason\": \"…\"}` disables the tenant at once: its apps' tokens answer 401 and get no new ones, "
                + "its people cannot sign in and are signed out of the portal. `{\"disabled\": false}` enables it again. The platform's own tenant cannot be disabled.");
        group.MapPost("/tenants/{id}/apps", CreateApp).WithName("CreateApp").RequireAuthorization().LiveOnly("registering an app")
            .Refuses(CommonErrors.Validation, CommonErrors.InsufficientScope, CommonErrors.TenantNotFound)
            .WithSummary("Register an app (OAuth client); its secret is shown once and stored only as a hash.");
        group.MapPost("/apps/{id}/secret", RotateSecret).WithName("RotateAppSecret").RequireAuthorization(Scopes.TenantAdmin).LiveOnly("rotating an app's secret")
            .Refuses(TenancyErrors.AppNotFound)
            .WithSummary("Rotate an app's secret: the new one is shown once, the old one stops working at once.");
        group.MapDelete("/apps/{id}", DisableApp).WithName("DisableApp").RequireAuthorization(Scopes.TenantAdmin).LiveOnly("disabling an app")
            .Refuses(TenancyErrors.AppNotFound)
            .WithSummary("Disable an app: its tokens stop working on the next request.");
        group.MapPost("/tenants/{id}/members", CreateMember).WithName("CreateMember").RequireAuthorization().LiveOnly("adding a member")
            .Refuses(CommonErrors.Validation, CommonErrors.InsufficientScope, CommonErrors.TenantNotFound, TenancyErrors.MemberExists)
            .WithSummary("Add a person who signs in to the portal; the password is stored only hashed.");
        group.MapGet("/tenants/{id}/members", ListMembers).WithName("ListMembers").RequireAuthorization().LiveOnly("listing a tenant's members")
            .Refuses(CommonErrors.InsufficientScope, CommonErrors.TenantNotFound)
            .WithSummary("A tenant's people and their roles.");
        group.MapGet("/me", GetMe).WithName("GetMe").RequireAuthorization()
            .WithSummary("Who the token speaks for: tenant, app, environment, scopes, plan.");
        return group;
    }

    internal static async Task<Results<Created<Tenant>, ProblemHttpResult>> CreateTenant(
        NewTenant body, TenancyService tenancy, HttpRequest request, CancellationToken cancellationToken)
    {
        var outcome = await tenancy.CreateTenantAsync(body, cancellationToken);
        return outcome.Refusal is { } refusal
            ? Problems.From(refusal)
            : TypedResults.Created($"{PublicUrl.Base(request)}/v1/tenants/{outcome.Value!.Id}", outcome.Value);
    }

    internal static async Task<Results<Ok<Tenant>, ProblemHttpResult>> GetTenant(string id, ClaimsPrincipal user, TenancyService tenancy, CancellationToken cancellationToken) =>
        Answer(await tenancy.GetTenantAsync(user, id, cancellationToken));

    internal static async Task<Results<Ok<Tenant>, ProblemHttpResult>> PatchTenant(
        string id, TenantPatch body, ClaimsPrincipal user, TenancyService tenancy, CancellationToken cancellationToken) =>
        Answer(await tenancy.PatchTenantAsync(user, id, body, cancellationToken));

    internal static async Task<Results<Created<AppCredentials>, ProblemHttpResult>> CreateApp(
        string id, NewApp body, ClaimsPrincipal user, TenancyService tenancy, HttpRequest request, CancellationToken cancellationToken)
    {
        var outcome = await tenancy.CreateAppAsync(user, id, body, cancellationToken);
        return outcome.Refusal is { } refusal
            ? Problems.From(refusal)
            : TypedResults.Created($"{PublicUrl.Base(request)}/v1/apps/{outcome.Value!.Id}", outcome.Value);
    }

    internal static async Task<Results<Ok<AppCredentials>, ProblemHttpResult>> RotateSecret(
        string id, ClaimsPrincipal user, TenancyService tenancy, CancellationToken cancellationToken) =>
        Answer(await tenancy.RotateSecretAsync(user, id, cancellationToken));

    internal static async Task<Results<NoContent, ProblemHttpResult>> DisableApp(
        string id, ClaimsPrincipal user, TenancyService tenancy, CancellationToken cancellationToken)
    {
        var outcome = await tenancy.DisableAppAsync(user, id, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.NoContent();
    }

    internal static async Task<Results<Created<Member>, ProblemHttpResult>> CreateMember(
        string id, NewMember body, ClaimsPrincipal user, TenancyService tenancy, HttpRequest request, CancellationToken cancellationToken)
    {
        var outcome = await tenancy.CreateMemberAsync(user, id, body, cancellationToken);
        return outcome.Refusal is { } refusal
            ? Problems.From(refusal)
            : TypedResults.Created($"{PublicUrl.Base(request)}/v1/tenants/{outcome.Value!.TenantId}/members", outcome.Value);
    }

    internal static async Task<Results<Ok<MemberList>, ProblemHttpResult>> ListMembers(
        string id, ClaimsPrincipal user, TenancyService tenancy, CancellationToken cancellationToken) =>
        Answer(await tenancy.ListMembersAsync(user, id, cancellationToken));

    internal static async Task<Ok<Me>> GetMe(ClaimsPrincipal user, TenancyService tenancy, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tenancy.DescribeAsync(user, cancellationToken));

    private static Results<Ok<T>, ProblemHttpResult> Answer<T>(Outcome<T> outcome) =>
        outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
}
