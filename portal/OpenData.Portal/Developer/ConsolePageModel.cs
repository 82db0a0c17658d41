using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Access;
using OpenData.Platform.Auth;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Marketplace.Subscriptions;
using OpenData.Platform.Tenancy;

namespace OpenData.Portal.Developer;

/// <summary>
/// A page of the developer console: the policy already asked for the sign-in cookie; this resolves the person behind it
/// (<see cref="Person"/>) before any handler runs, and signs out a cookie whose person is gone.
/// </summary>
internal abstract class ConsolePageModel : PageModel
{
    /// <summary>The view data entry holding the number of requests awaiting the person's review (absent for people who do not review).</summary>
    public const string InboxCountKey = "Console.InboxCount";

    public ConsolePerson Person { get; private set; } = null!;

    /// <summary>The console's heading for the person's kind of tenant: a developer's, a data owner's (数源单位) or the operator's.</summary>
    public static string TitleKey(Microsoft.AspNetCore.Mvc.ViewFeatures.ViewDataDictionary viewData)
    {
        ArgumentNullException.ThrowIfNull(viewData);
        return viewData["PlatformTenant"] is true ? "Console.OperatorTitle" : viewData["OwnerTenant"] is true ? "Console.OwnerTitle" : "Console.Title";
    }

    public override async Task OnPageHandlerExecutionAsync(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context, Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var person = await ConsolePerson.ResolveAsync(HttpContext, HttpContext.RequestServices.GetRequiredService<TenancyStore>());
        if (person is null)
        {
            await HttpContext.SignOutAsync(SignInEndpoints.CookieScheme);
            context.Result = LocalRedirect("/account/signin?returnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
            return;
        }
        Person = person;
        // The console's tabs differ for a data-owning tenant.
        ViewData["OwnerTenant"] = person.IsOwnerTenant;
        ViewData["PublishingTenant"] = person.PublishesDatasets;
        ViewData["PlatformTenant"] = person.IsOperator;
        // The marketplace's provider console is for owners and the tenants the operator licensed as providers (read with the
        // person's scopes: a licence in force is what brings a consumer datasets:write).
        IsProvider = person.IsOwnerTenant || person.IsLicensedProvider;
        ViewData["ProviderTenant"] = IsProvider;
        // The inbox tab shows how many requests await the reviewer's decision; only people who review hold the scope.
        if (Holds(Scopes.AccessReview))
        {
            ViewData[InboxCountKey] = await HttpContext.RequestServices.GetRequiredService<AccessService>().AwaitingOwnerAsync(person.Principal, HttpContext.RequestAborted);
        }
        else if (IsProvider && MayDecideSubscriptions)
        {
            // A licensed provider reviews no access request: its inbox holds the subscriptions to its products awaiting its decision.
            ViewData[InboxCountKey] = await PendingSubscriptionsAsync(HttpContext.RequestAborted);
        }
        // What the console shows (secrets above all) is never kept by a cache.
        Response.Headers.CacheControl = "no-store";
        await next();
    }

    /// <summary>Whether the person's tenant publishes products: an owner, or a tenant the operator licensed as a provider.</summary>
    public bool IsProvider { get; private set; }

    /// <summary>Whether the person decides subscriptions to the tenant's products (as the subscription service asks: tenant:admin or datasets:write).</summary>
    public bool MayDecideSubscriptions => Holds(Scopes.TenantAdmin) || Holds(Scopes.DatasetsWrite);

    /// <summary>How many subscriptions to the tenant's products await its decision.</summary>
    protected async Task<int> PendingSubscriptionsAsync(CancellationToken cancellationToken) =>
        ((await HttpContext.RequestServices.GetRequiredService<SubscriptionService>().ListAsync(Person.Principal, "provider", cancellationToken)).Value?.Items ?? [])
        .Count(s => s.Status == SubscriptionStatus.Pending);

    /// <summary>The refusal for an action only a tenant's admins may take, as the API words it.</summary>
    protected static Refusal AdminOnly() => Refusal.Forbidden(CommonErrors.InsufficientScope, "this needs the tenant:admin scope");

    /// <summary>Shows a refusal on the page (fields or the form's message) with the refusal's status.</summary>
    protected IActionResult Refused(string form, Refusal refusal, IReadOnlyDictionary<string, string>? codeFields = null,
        IReadOnlyDictionary<string, string>? messageKeys = null)
    {
        ShowRefusal(form, refusal, codeFields, messageKeys);
        Response.StatusCode = refusal.Status;
        return Page();
    }

    /// <summary>Puts a refusal's messages on the form's fields, leaving the answer to the caller (a partial, for htmx).</summary>
    protected void ShowRefusal(string form, Refusal refusal, IReadOnlyDictionary<string, string>? codeFields = null,
        IReadOnlyDictionary<string, string>? messageKeys = null) =>
        FieldErrors.Show(ModelState, Text, form, refusal, codeFields, messageKeys);

    private Microsoft.Extensions.Localization.IStringLocalizer Text =>
        HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<PortalText>>();

    /// <summary>The messages of a field (case-insensitive name), or of the whole form for <c>""</c>.</summary>
    public IReadOnlyList<string> ErrorsOf(string field) => FormErrors.Of(ModelState, field);

    /// <summary>Whether the person holds a scope (their role's, in their tenant).</summary>
    public bool Holds(string scope) => Person.Principal.HasScope(scope);

    /// <summary>
    /// One of the person's tenant's datasets for an owner's page, or why the page shows none: 403 for a tenant that owns no data,
    /// 404 for a dataset that is not the tenant's (the answer's status is set to it).
    /// </summary>
    protected async Task<(Platform.Catalogue.DatasetRow? Dataset, int? Unavailable)> OwnedDatasetAsync(Platform.Catalogue.CatalogueStore store, string id,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var unavailable = Microsoft.AspNetCore.Http.StatusCodes.Status403Forbidden;
        if (Person.PublishesDatasets)
        {
            var found = await store.GetAsync(id, cancellationToken);
            if (found is not null && string.Equals(found.Value.Dataset.OwnerId, Person.Tenant.Id, StringComparison.Ordinal))
            {
                return (found.Value.Dataset, null);
            }
            unavailable = Microsoft.AspNetCore.Http.StatusCodes.Status404NotFound;
        }
        Response.StatusCode = unavailable;
        return (null, unavailable);
    }
}

/// <summary>Errors a form's fields carry, looked up without regard to case (the services name fields in camelCase).</summary>
internal static class FormErrors
{
    public static IReadOnlyList<string> Of(ModelStateDictionary state, string field)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Where(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Value?.Errors.Select(x => x.ErrorMessage) ?? []).ToList();
    }
}
