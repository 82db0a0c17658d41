using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Access;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// Grants on an owner's datasets, as <see cref="AccessService"/> lists them: active, expiring within seven days, expired and
/// revoked; a reviewer revokes one with a reason (the consumer's reads stop on their next request).
/// </summary>
internal sealed class GrantsModel(AccessService access, TimeProvider clock) : ConsolePageModel
{
    public static readonly TimeSpan Soon = TimeSpan.FromDays(7);

    public IReadOnlyList<GrantView> Active { get; private set; } = [];

    public IReadOnlyList<GrantView> Expiring { get; private set; } = [];

    public IReadOnlyList<GrantView> Expired { get; private set; } = [];

    public IReadOnlyList<GrantView> Revoked { get; private set; } = [];

    /// <summary>The grant just revoked.</summary>
    public GrantView? Done { get; private set; }

    [BindProperty]
    public string? GrantId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public bool MayRevoke => Holds(Platform.Identity.Scopes.AccessReview);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!Person.PublishesDatasets)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(CancellationToken cancellationToken)
    {
        if (!Person.PublishesDatasets || !MayRevoke)
        {
            await LoadAsync(cancellationToken);
            return Refused("Grant", Platform.Common.Refusal.Forbidden(Platform.Common.CommonErrors.InsufficientScope, "this needs the access:review scope"));
        }
        var revoked = await access.RevokeAsync(Person.Principal, GrantId ?? "", new GrantRevocation(Reason), cancellationToken);
        await LoadAsync(cancellationToken);
        if (revoked.Refusal is { } refusal)
        {
            return Refused("Grant", refusal);
        }
        Done = revoked.Value;
        Reason = null;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var mine = (await access.ListGrantsAsync(Person.Principal, cancellationToken)).Items
            .Where(g => g.Owner == Person.Tenant.Id).ToList();
        Revoked = [.. mine.Where(g => g.Status == "revoked").OrderByDescending(g => g.RevokedAt)];
        Expired = [.. mine.Where(g => g.Status == "expired").OrderByDescending(g => g.ExpiresAt)];
        var active = mine.Where(g => g.Status == "active").OrderBy(g => g.ExpiresAt).ToList();
        Expiring = [.. active.Where(g => g.ExpiresAt - now <= Soon)];
        Active = [.. active.Where(g => g.ExpiresAt - now > Soon)];
    }
}
