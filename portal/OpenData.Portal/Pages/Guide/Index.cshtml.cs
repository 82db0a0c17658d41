using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Browsing;
using OpenData.Portal.Developer;
using OpenData.Portal.Guide;

namespace OpenData.Portal.Pages.Guide;

/// <summary>
/// Getting started: sign up, create an app, get a token, the first query in curl and in GraphQL, with commands for this host.
/// A signed-in person sees their tenant, and their first app's client id in the token command (never a secret: the console
/// shows a secret once, and the command reads it from the terminal).
/// </summary>
internal sealed class IndexModel(TenancyStore people, TenancyService tenancy) : PageModel
{
    public string ApiBase { get; private set; } = "";

    /// <summary>The signed-in person, when there is one.</summary>
    public ConsolePerson? Person { get; private set; }

    /// <summary>The app whose client id the token command names: the person's first live app that reads records.</summary>
    public App? App { get; private set; }

    public string TokenCommand { get; private set; } = "";

    public CodeSnippets FirstQuery { get; private set; } = null!;

    public string GraphQLCommand { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ApiBase = PublicUrl.Base(Request);
        Person = await ConsolePerson.ResolveAsync(HttpContext, people);
        if (Person is { } person)
        {
            var apps = (await tenancy.ListAppsAsync(person.Principal, person.Tenant.Id, cancellationToken)).Value?.Items ?? [];
            App = apps.Where(a => !a.Disabled && a.Environment == "live" && a.Scopes.Contains(Scopes.RecordsRead))
                .OrderBy(a => a.RedirectUris.Count).ThenBy(a => a.CreatedAt).FirstOrDefault();
        }
        TokenCommand = GettingStarted.TokenCommand(ApiBase, App?.ClientId ?? GettingStarted.ClientIdPlaceholder);
        FirstQuery = GettingStarted.FirstQuerySnippets(ApiBase);
        GraphQLCommand = GettingStarted.GraphQLCommand(ApiBase);
    }
}
