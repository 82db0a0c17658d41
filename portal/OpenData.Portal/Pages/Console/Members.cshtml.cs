using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Common;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The tenant's people, for its admins: the list and a form adding a person with a role and an initial password, by
/// <see cref="TenancyService"/> (which refuses anyone else, as <c>GET/POST /v1/tenants/{id}/members</c> do).
/// </summary>
internal sealed class MembersModel(TenancyService tenancy) : ConsolePageModel
{
    public IReadOnlyList<Member> Members { get; private set; } = [];

    /// <summary>Why the list is not shown (a person who is not an admin), or null.</summary>
    public Refusal? ListRefusal { get; private set; }

    public Member? Added { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public static IReadOnlyList<string> Roles => TenantRoles.Roles;

    public static int MinPasswordLength => TenancyService.MinPasswordLength;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (ListRefusal is { } refusal)
        {
            Response.StatusCode = refusal.Status;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var added = await tenancy.CreateMemberAsync(Person.Principal, Person.Tenant.Id, new NewMember(Email ?? "", Name ?? "", Role ?? "", Password ?? ""), cancellationToken);
        await LoadAsync(cancellationToken);
        if (added.Refusal is { } refusal)
        {
            return Refused("Member", refusal, new Dictionary<string, string> { [TenancyErrors.MemberExists] = "email" });
        }
        Added = added.Value;
        Name = null;
        Email = null;
        Role = null;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var list = await tenancy.ListMembersAsync(Person.Principal, Person.Tenant.Id, cancellationToken);
        Members = list.Value?.Items ?? [];
        ListRefusal = list.Refusal;
    }
}
