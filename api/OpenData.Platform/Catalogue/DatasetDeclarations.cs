using System.Security.Claims;
using OpenData.Platform.Common;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Catalogue;

/// <summary>
/// Declares a new dataset for the caller's organisation: the rules of <c>POST /v1/datasets</c>, which the portal's publish
/// form follows too (an owner tenant only, every field checked and named, a free id).
/// </summary>
internal sealed class DatasetDeclarations(CatalogueStore store, DesensitisationPolicy policy, TimeProvider clock)
{
    /// <summary>The declared dataset's id, or the refusal: not an owner (403), invalid fields (400, each named), the id taken (409).</summary>
    public async Task<Outcome<string>> DeclareAsync(ClaimsPrincipal user, NewDataset? body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var owner = user.TenantId();
        if (owner is null || !await store.OrganisationExistsAsync(owner, cancellationToken))
        {
            return Refusal.Forbidden(CatalogueErrors.OwnerRequired, "only a data-owning organisation can publish datasets; the caller's tenant is not one");
        }
        var themes = (await store.ThemesAsync(cancellationToken)).Select(t => t.Id).ToList();
        var valid = DatasetValidator.Validate(body, themes, policy, out var errors);
        if (valid is null)
        {
            return Refusal.Validation(errors);
        }
        if (!await store.CreateAsync(valid, owner, clock.GetUtcNow(), cancellationToken))
        {
            return Refusal.Conflict(CatalogueErrors.DatasetExists, $"a dataset with id '{valid.Id}' exists already: choose another id or publish a new version of it");
        }
        return valid.Id;
    }
}
