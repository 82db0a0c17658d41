using Microsoft.AspNetCore.Mvc.ModelBinding;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Marketplace;

/// <summary>
/// The subscribe form (Shared/_SubscribeForm): the product's plans (a radio each), the subscriber's live apps that may take a
/// subscription (client credentials, not bound to a plan of their own yet), the agreement version to accept, and what was
/// entered with the errors the subscription service found.
/// </summary>
internal sealed record SubscribeForm(
    ProductView Product, IReadOnlyList<App> Apps, string? Plan, string? AppId, bool Accepted, ModelStateDictionary State)
{
    public IReadOnlyList<string> ErrorsOf(string field) => FormErrors.Of(State, field);

    /// <summary>The apps of a tenant a subscription may take: enabled, live, signing in with client credentials, not bound yet.</summary>
    public static IReadOnlyList<App> Eligible(IEnumerable<App> apps) =>
        [.. apps.Where(a => !a.Disabled && a.Environment == "live" && a.RedirectUris.Count == 0 && a.Plan is null)];
}
