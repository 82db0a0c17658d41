using System.Net;
using System.Net.Http.Json;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Marketplace.ProductTests;
using static OpenData.Tests.Marketplace.SubscriptionTests;
using static OpenData.Tests.Portal.ConsoleTests;

namespace OpenData.Tests.Portal;

/// <summary>
/// The marketplace in the portal, on each database: anyone browses the published products and compares a product's plans (a draft
/// is its provider's only); a consumer's admin subscribes an app through the product's page — the agreement's box required, the
/// service's refusals on their fields — and the API lists the subscription with the agreement version accepted; the provider
/// approves it in its inbox; the app's calls are on the subscriber's statement and the provider's revenue; the operator licenses a
/// provider. Each page refuses the people it is not for.
/// </summary>
public sealed class MarketplacePagesTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    /// <summary>A consumer tenant made through the API, and its admin (or another role) signed in with their browser.</summary>
    private static async Task<(string Tenant, HttpClient Api, HttpClient Browser)> SubscriberAsync(PlatformHost host, string tenant, string email)
    {
        var (id, api) = await ConsumerAsync(host, tenant);
        return (id, api, await ConsolePeople.SignInAsync(host, id, "admin", email));
    }

    private static FormUrlEncodedContent Subscription(string page, string plan, string appId, bool accept, string version = "1.0") => new(
        [.. AntiforgeryField(page), new("plan", plan), new("appId", appId), new("agreementVersion", version), .. accept ? new KeyValuePair<string, string>[] { new("accept", "true") } : []]);

    [DatabaseTheory, OnEachDatabase]
    public async Task A_consumer_compares_the_plans_subscribes_through_the_form_and_sees_the_calls_on_its_statement(string db)
    {
        var host = await hosts.GetAsync(db);
        var owner = host.As(Owner, "tenant:admin", "datasets:write", "catalogue:read");
        var product = "air-page-" + db;
        var draft = "air-draft-" + db;
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsJsonAsync("/v1/products", Product(product, AirQuality, status: "published"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsJsonAsync("/v1/products", Product(draft, AirQuality))).StatusCode);

        // Anyone: the published product as a card with its price range; the draft is nowhere; the marketplace is in the main navigation.
        using var visitor = Auth.OAuthFlows.Browser(host);
        var list = await visitor.GetStringAsync("/marketplace");
        Assert.Contains($"data-product=\"{product}\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain(draft, list, StringComparison.Ordinal);
        Assert.Contains("每次调用 ¥0.01 至 每月 ¥300", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/marketplace\"", await visitor.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/marketplace/" + draft)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/marketplace/no-such-product")).StatusCode);
        // The plans side by side: prices, limits with "unlimited" written out, the agreement and its version; a visitor is asked to sign in.
        var page = await visitor.GetStringAsync("/marketplace/" + product);
        Assert.Contains("data-price=\"basic\">每次调用 ¥0.01<", page, StringComparison.Ordinal);
        Assert.Contains("data-price=\"pro\">每月 ¥300<", page, StringComparison.Ordinal);
        Assert.Contains("data-daily-requests=\"basic\">3<", page, StringComparison.Ordinal);
        Assert.Contains("不限", page, StringComparison.Ordinal);
        Assert.Contains("data-agreement=\"1.0\">使用者不得将数据用于识别个人。<", page, StringComparison.Ordinal);
        Assert.Contains($"data-dataset-link=\"{AirQuality}\"", page, StringComparison.Ordinal);
        Assert.Contains("data-sign-in-to-subscribe", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-subscribe-form", page, StringComparison.Ordinal);
        // Its provider sees its draft (and no form on its own product).
        using var provider = await ConsolePeople.SignInAsync(host, Owner, "admin", $"market-provider-{db}@example.test");
        Assert.Contains("data-not-published", await provider.GetStringAsync("/marketplace/" + draft), StringComparison.Ordinal);
        Assert.Contains("data-own-product", await provider.GetStringAsync("/marketplace/" + product), StringComparison.Ordinal);

        // A consumer's admin: the form lists its live client-credentials apps.
        var (tenant, api, admin) = await SubscriberAsync(host, "market-buyer-" + db, $"market-buyer-{db}@example.test");
        var app = await AppAsync(api, tenant);
        page = await admin.GetStringAsync("/marketplace/" + product);
        Assert.Contains($"data-subscribe-form=\"{product}\"", page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{app.ClientId}\"", page, StringComparison.Ordinal);
        Assert.Contains("我接受服务协议（版本 1.0）", page, StringComparison.Ordinal);
        var action = $"/console/marketplace/{product}/subscribe";

        // Without the agreement's box: refused on it, nothing subscribed.
        var unaccepted = await admin.PostAsync(action, Subscription(page, "basic", app.ClientId, accept: false));
        Assert.Equal(HttpStatusCode.BadRequest, unaccepted.StatusCode);
        Assert.Contains("data-field-error=\"accept\"", await unaccepted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A plan the product lacks: refused on the plan.
        var noPlan = await admin.PostAsync(action, Subscription(page, "gold", app.ClientId, accept: true));
        Assert.Equal(HttpStatusCode.BadRequest, noPlan.StatusCode);
        Assert.Contains("data-field-error=\"plan\"", await noPlan.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // An agreement version other than the current one (read before a change): refused on the box.
        var outdated = await admin.PostAsync(action, Subscription(page, "basic", app.ClientId, accept: true, version: "0.9"));
        Assert.Equal(HttpStatusCode.Conflict, outdated.StatusCode);
        Assert.Contains("data-field-error=\"accept\"", await outdated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await PlatformHost.ReadJsonAsync(await api.GetAsync("/v1/subscriptions")))["items"]!.AsArray());

        var subscribed = await admin.PostAsync(action, Subscription(page, "basic", app.ClientId, accept: true));
        Assert.Equal(HttpStatusCode.Redirect, subscribed.StatusCode);
        var mine = Assert.Single((await PlatformHost.ReadJsonAsync(await api.GetAsync("/v1/subscriptions")))["items"]!.AsArray())!;
        var id = mine["id"]!.GetValue<string>();
        Assert.Equal(("basic", "1.0", "pending", app.ClientId), (mine["plan"]!.GetValue<string>(), mine["agreementVersion"]!.GetValue<string>(),
            mine["status"]!.GetValue<string>(), mine["appId"]!.GetValue<string>()));
        var after = await admin.GetStringAsync(subscribed.Headers.Location!.OriginalString);
        Assert.Contains($"data-done=\"subscribed\" data-subscription=\"{id}\" data-subscription-status=\"pending\"", after, StringComparison.Ordinal);
        Assert.Contains("data-agreement-version=\"1.0\"", after, StringComparison.Ordinal);
        // The same app again: refused on the app; the product's page says what the tenant holds.
        var again = await admin.PostAsync(action, Subscription(page, "pro", app.ClientId, accept: true));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("data-field-error=\"appId\"", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains($"data-my-subscription=\"{id}\"", await admin.GetStringAsync("/marketplace/" + product), StringComparison.Ordinal);

        // A developer of the tenant sees no form, and the page refuses its post.
        using var developer = await ConsolePeople.SignInAsync(host, tenant, "developer", $"market-dev-{db}@example.test");
        var devPage = await developer.GetStringAsync("/marketplace/" + product);
        Assert.Contains("data-admins-subscribe", devPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await developer.PostAsync(action, Subscription(devPage, "pro", app.ClientId, accept: true))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/console/marketplace/{draft}/subscribe")).StatusCode);

        // Approved (here through the API; the inbox is the next test), the app's calls are on the statement.
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync($"/v1/subscriptions/{id}/decision", new { decision = "approve" })).StatusCode);
        var client = await AppClientAsync(host, app);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/datasets/{AirQuality}/records?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/datasets/{AirQuality}/records?limit=1")).StatusCode);
        var statement = await admin.GetStringAsync("/console/statements");
        Assert.Contains($"data-line=\"{id}\" data-plan=\"basic\"", statement, StringComparison.Ordinal);
        Assert.Contains("data-amount>0.02<", statement, StringComparison.Ordinal);
        Assert.Contains("data-total=\"0.02\"", statement, StringComparison.Ordinal);
        var csv = await admin.GetAsync("/console/statements?handler=Csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"line,", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(",0.02,", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A month not begun is refused on the picker.
        var future = await admin.GetAsync("/console/statements?month=2999-01");
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Contains("data-field-error=\"month\"", await future.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The subscriber changes plan, then cancels, from its subscriptions page.
        var subs = await admin.GetStringAsync("/console/subscriptions");
        var changed = await admin.PostAsync("/console/subscriptions?handler=Change", new FormUrlEncodedContent(
            [.. AntiforgeryField(subs), new("subscriptionId", id), new("plan", "pro")]));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("data-done=\"changed\"", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("pro", (await PlatformHost.ReadJsonAsync(await api.GetAsync($"/v1/subscriptions/{id}")))["plan"]!.GetValue<string>());
        var cancelled = await admin.PostAsync("/console/subscriptions?handler=Cancel", new FormUrlEncodedContent(
            [.. AntiforgeryField(subs), new("subscriptionId", id), new("reason", "试用结束")]));
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await PlatformHost.ReadJsonAsync(await api.GetAsync($"/v1/subscriptions/{id}")))["status"]!.GetValue<string>());
        // Another tenant's admin cannot cancel it (the service's 404), nor does it see it.
        var (_, _, stranger) = await SubscriberAsync(host, "market-stranger-" + db, $"market-stranger-{db}@example.test");
        var strangerPage = await stranger.GetStringAsync("/console/subscriptions");
        Assert.DoesNotContain(id, strangerPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync("/console/subscriptions?handler=Cancel", new FormUrlEncodedContent(
            [.. AntiforgeryField(strangerPage), new("subscriptionId", id)]))).StatusCode);
    }
}
