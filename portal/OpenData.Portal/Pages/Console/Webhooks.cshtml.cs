using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Common;
using OpenData.Platform.Webhooks;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The tenant's webhooks, for its admins, as <see cref="WebhookService"/> answers <c>/v1/webhooks</c>: the list, registering one (its
/// generated signing secret shown once, in the answer to the POST that made it), stopping one, and a webhook's delivery log with a
/// redeliver button per delivery. Anyone else sees that only admins may manage webhooks.
/// </summary>
internal sealed class WebhooksModel(WebhookService webhooks) : ConsolePageModel
{
    /// <summary>The id of the delivery log's region, which htmx swaps.</summary>
    public const string LogId = "delivery-log";

    /// <summary>The form field a refusal of a redelivery is shown on (in the delivery log).</summary>
    public const string RedeliverField = "redeliver";

    // The service words the two refusals of a URL differently; the page says each in its language.
    private static readonly Dictionary<string, string> UrlMessages = new(StringComparer.Ordinal)
    {
        [WebhookService.UrlInvalid] = "Field.Webhook.url",
        [WebhookService.UrlPrivate] = "Field.Webhook.urlPrivate",
    };

    private static readonly Dictionary<string, string> RedeliverCodes = new(StringComparer.Ordinal)
    {
        [WebhooksErrors.WebhookNotFound] = RedeliverField,
        [WebhooksErrors.DeliveryNotFound] = RedeliverField,
        [WebhooksErrors.WebhookStopped] = RedeliverField,
    };

    public IReadOnlyList<WebhookView> Webhooks { get; private set; } = [];

    /// <summary>Why nothing is shown (a person who is not an admin), or null.</summary>
    public Refusal? ListRefusal { get; private set; }

    /// <summary>The webhook just registered, with its secret, shown this once.</summary>
    public WebhookView? Registered { get; private set; }

    /// <summary>What just happened: <c>stopped</c> or <c>redelivered</c>.</summary>
    public string? Done { get; private set; }

    /// <summary>The webhook whose delivery log is shown (the first one unless another is asked for), or null when there is none.</summary>
    public WebhookView? Selected { get; private set; }

    public IReadOnlyList<DeliveryView> Log { get; private set; } = [];

    /// <summary>The delivery just queued by a redelivery, to point out in the log.</summary>
    public string? Redelivered { get; private set; }

    /// <summary>The URL typed into the form (field <c>url</c>).</summary>
    [BindProperty(Name = "url")]
    public string? Address { get; set; }

    [BindProperty]
    public List<string> Events { get; set; } = [];

    public static IReadOnlyList<string> AllEvents => WebhookEvents.All;

    public async Task<IActionResult> OnGetAsync(string? webhook, CancellationToken cancellationToken)
    {
        if (!Person.IsAdmin)
        {
            return AdminsOnly();
        }
        Events = [.. WebhookEvents.All];
        await LoadAsync(webhook, cancellationToken);
        return IsHtmx ? Partial("_DeliveryLog", this) : Page();
    }

    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken cancellationToken)
    {
        if (!Person.IsAdmin)
        {
            return AdminsOnly();
        }
        var registered = await webhooks.CreateAsync(Person.Principal, new NewWebhook(Address, Events, null), cancellationToken);
        if (registered.Refusal is { } refusal)
        {
            await LoadAsync(null, cancellationToken);
            return Refused("Webhook", refusal, null, UrlMessages);
        }
        Registered = registered.Value;
        Address = null;
        Events = [.. WebhookEvents.All];
        await LoadAsync(Registered!.Id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostStopAsync(string? webhookId, CancellationToken cancellationToken)
    {
        if (!Person.IsAdmin)
        {
            return AdminsOnly();
        }
        Events = [.. WebhookEvents.All];
        var stopped = await webhooks.DeleteAsync(Person.Principal, webhookId ?? "", cancellationToken);
        await LoadAsync(null, cancellationToken);
        if (stopped.Refusal is { } refusal)
        {
            return Refused("Webhook", refusal);
        }
        Done = "stopped";
        return Page();
    }

    /// <summary>Queues a delivery again; htmx gets the delivery log back, a browser without script the whole page.</summary>
    public async Task<IActionResult> OnPostRedeliverAsync(string? webhookId, string? deliveryId, CancellationToken cancellationToken)
    {
        if (!Person.IsAdmin)
        {
            return AdminsOnly();
        }
        Events = [.. WebhookEvents.All];
        var queued = await webhooks.RedeliverAsync(Person.Principal, webhookId ?? "", deliveryId ?? "", cancellationToken);
        await LoadAsync(webhookId, cancellationToken);
        if (queued.Refusal is { } refusal)
        {
            ShowRefusal("Webhook", refusal, RedeliverCodes);
            // htmx swaps only a 2xx answer; the refusal is in the log it swaps in (role="alert"), and the page answers its status.
            if (IsHtmx)
            {
                return Partial("_DeliveryLog", this);
            }
            Response.StatusCode = refusal.Status;
            return Page();
        }
        Done = "redelivered";
        Redelivered = queued.Value!.Id;
        return IsHtmx ? Partial("_DeliveryLog", this) : Page();
    }

    // htmx asks for the log region alone (its links and redeliver buttons target it).
    private bool IsHtmx => Request.Headers["HX-Request"] == "true" && Request.Headers["HX-Target"] == LogId;

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult AdminsOnly()
    {
        ListRefusal = AdminOnly();
        Response.StatusCode = ListRefusal.Status;
        return Page();
    }

    private async Task LoadAsync(string? selected, CancellationToken cancellationToken)
    {
        Webhooks = (await webhooks.ListAsync(Person.Principal, cancellationToken)).Items;
        Selected = Webhooks.FirstOrDefault(w => w.Id == selected) ?? (Webhooks.Count > 0 ? Webhooks[0] : null);
        Log = Selected is null ? [] : (await webhooks.DeliveriesAsync(Person.Principal, Selected.Id, cancellationToken)).Value?.Items ?? [];
    }
}
