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

    [DatabaseTheory, OnEachDatabase]
    public async Task A_provider_creates_and_publishes_a_product_in_its_console_approves_a_subscription_in_its_inbox_and_sees_the_revenue(string db)
    {
        var host = await hosts.GetAsync(db);
        using var provider = await ConsolePeople.SignInAsync(host, Owner, "admin", $"market-maker-{db}@example.test");
        var owner = host.As(Owner, "tenant:admin", "datasets:write", "catalogue:read");
        var product = "air-console-" + db;
        var form = await provider.GetStringAsync("/console/products");
        Assert.Contains("data-create-product", form, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/products\"", form, StringComparison.Ordinal);
        KeyValuePair<string, string>[] Fields(string amount) =>
        [
            .. AntiforgeryField(form), new("id", product), new("kind", "records"), new("title", "空气质量日报服务"), new("titleEn", "Daily air quality"),
            new("description", "按日发布的空气质量数据"), new("documentation", "第一行\n第二行"), new("otherDatasets", AirQuality),
            new("plans[0].name", "basic"), new("plans[0].title", "基础版"), new("plans[0].model", "per_call"), new("plans[0].amount", amount), new("plans[0].dailyRequests", "100"),
            new("plans[1].name", "pro"), new("plans[1].model", "monthly"), new("plans[1].amount", "300"), new("plans[1].ratePerSecond", "5"), new("plans[1].burst", "10"),
            new("plans[2].name", ""), new("agreementVersion", "2026-12"), new("agreementText", "不得用于识别个人。"), new("approval", "manual"),
        ];

        // A price the money rules refuse (a comma): refused on its plan's row, what was typed kept; nothing created.
        var refused = await provider.PostAsync("/console/products?handler=Create", new FormUrlEncodedContent(Fields("0,01")));
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("data-field-error=\"plans[0]\"", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"空气质量日报服务\"", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/v1/products/{product}")).StatusCode);
        // A limit that is not a whole number: refused on its row before the service is asked.
        var fields = Fields("0.01");
        fields[Array.FindIndex(fields, f => f.Key == "plans[1].burst")] = new("plans[1].burst", "ten");
        var badLimit = await provider.PostAsync("/console/products?handler=Create", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Contains("data-field-error=\"plans[1]\"", await badLimit.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var created = await provider.PostAsync("/console/products?handler=Create", new FormUrlEncodedContent(Fields("0.01")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var list = await provider.GetStringAsync(created.Headers.Location!.OriginalString);
        Assert.Contains($"data-product-row=\"{product}\" data-status=\"draft\"", list, StringComparison.Ordinal);
        var api = await PlatformHost.ReadJsonAsync(await owner.GetAsync($"/v1/products/{product}"));
        Assert.Equal(["basic", "pro"], api["plans"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal("0.01", api["plans"]![0]!["price"]!["amount"]!.GetValue<string>());
        Assert.Null(api["plans"]![0]!["limits"]!["burst"]);
        Assert.Equal(10, api["plans"]![1]!["limits"]!["burst"]!.GetValue<long>());
        Assert.Equal("2026-12", api["agreement"]!["version"]!.GetValue<string>());
        // The same id again: refused on the id.
        var taken = await provider.PostAsync("/console/products?handler=Create", new FormUrlEncodedContent(Fields("0.01")));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("data-field-error=\"id\"", await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var published = await provider.PostAsync("/console/products?handler=Publish", new FormUrlEncodedContent([.. AntiforgeryField(list), new("productId", product)]));
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Contains($"data-product-row=\"{product}\" data-status=\"published\"", await published.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Documentation as text, its line break kept by the page's style (no Markdown engine).
        Assert.Matches("data-documentation>第一行(\n|&#xA;)第二行<", await provider.GetStringAsync("/marketplace/" + product));

        // A consumer subscribes through the product's page; the provider's inbox shows it.
        var (tenant, consumerApi, admin) = await SubscriberAsync(host, "market-client-" + db, $"market-client-{db}@example.test");
        var app = await AppAsync(consumerApi, tenant);
        var page = await admin.GetStringAsync("/marketplace/" + product);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync($"/console/marketplace/{product}/subscribe",
            Subscription(page, "basic", app.ClientId, accept: true, version: "2026-12"))).StatusCode);
        var id = Assert.Single((await PlatformHost.ReadJsonAsync(await consumerApi.GetAsync("/v1/subscriptions")))["items"]!.AsArray())!["id"]!.GetValue<string>();
        var inbox = await provider.GetStringAsync("/console/inbox");
        Assert.Contains($"data-pending-subscription=\"{id}\" data-subscriber=\"{tenant}\"", inbox, StringComparison.Ordinal);
        Assert.Contains("data-pending=\"1\"", await provider.GetStringAsync("/console/products"), StringComparison.Ordinal);
        // A rejection without a reason is refused on the reason; the approval binds the app.
        var noReason = await provider.PostAsync("/console/inbox?handler=Subscription", new FormUrlEncodedContent(
            [.. AntiforgeryField(inbox), new("subscriptionId", id), new("decision", "reject")]));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("data-field-error=\"reason\"", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The subscriber cannot decide its own subscription from its inbox (a consumer without a licence has none).
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync("/console/inbox?handler=Subscription", new FormUrlEncodedContent(
            [.. AntiforgeryField(page), new("subscriptionId", id), new("decision", "approve")]))).StatusCode);
        var approved = await provider.PostAsync("/console/inbox?handler=Subscription", new FormUrlEncodedContent(
            [.. AntiforgeryField(inbox), new("subscriptionId", id), new("decision", "approve"), new("reason", "欢迎")]));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var approvedHtml = await approved.Content.ReadAsStringAsync();
        Assert.Contains($"data-subscription-decided=\"{id}\" data-decided-status=\"active\"", approvedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-pending-subscription=\"{id}\"", approvedHtml, StringComparison.Ordinal);
        Assert.Equal("active", (await PlatformHost.ReadJsonAsync(await consumerApi.GetAsync($"/v1/subscriptions/{id}")))["status"]!.GetValue<string>());

        // Three calls at 0.01: the provider's revenue, on its statement; the operator sees it per provider and product.
        var client = await AppClientAsync(host, app);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/datasets/{AirQuality}/records?limit=1")).StatusCode);
        }
        var revenue = await provider.GetStringAsync("/console/statements?role=provider");
        Assert.Contains("data-role=\"provider\"", revenue, StringComparison.Ordinal);
        Assert.Contains($"data-line=\"{id}\"", revenue, StringComparison.Ordinal);
        Assert.Contains($"data-revenue-row=\"{product}\" data-revenue-provider=\"{Owner}\"><td>", revenue, StringComparison.Ordinal);
        Assert.Contains("<td class=\"text-end\">0.03</td>", revenue, StringComparison.Ordinal);
        using var operatorBrowser = await ConsolePeople.OperatorAsync(host, $"market-operator-{db}@example.test");
        var operatorStatement = await operatorBrowser.GetStringAsync("/console/statements");
        Assert.Contains("data-role=\"operator\"", operatorStatement, StringComparison.Ordinal);
        Assert.Contains($"data-revenue-row=\"{product}\" data-revenue-provider=\"{Owner}\"", operatorStatement, StringComparison.Ordinal);
        Assert.Contains("data-active=\"1\"", await provider.GetStringAsync("/console/products"), StringComparison.Ordinal);

        // Retired with a week's notice: no longer published.
        var retired = await provider.PostAsync("/console/products?handler=Retire", new FormUrlEncodedContent(
            [.. AntiforgeryField(list), new("productId", product), new("noticeDays", "7")]));
        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        Assert.Contains($"data-product-row=\"{product}\" data-status=\"retired\"", await retired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("retired", (await PlatformHost.ReadJsonAsync(await owner.GetAsync($"/v1/products/{product}")))["status"]!.GetValue<string>());

        // A consumer without a licence has no provider console; another owner cannot publish this one's product.
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/console/products")).StatusCode);
        Assert.DoesNotContain("href=\"/console/products\"", await admin.GetStringAsync("/console/subscriptions"), StringComparison.Ordinal);
        using var other = await ConsolePeople.SignInAsync(host, "ningbo-market-supervision", "admin", $"market-other-{db}@example.test");
        var otherPage = await other.GetStringAsync("/console/products");
        Assert.DoesNotContain(product, otherPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync("/console/products?handler=Publish", new FormUrlEncodedContent(
            [.. AntiforgeryField(otherPage), new("productId", product)]))).StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_operator_licenses_a_consumer_as_a_provider_which_then_has_the_provider_console_until_revoked(string db)
    {
        var host = await hosts.GetAsync(db);
        using var op = await ConsolePeople.OperatorAsync(host, $"licensing-operator-{db}@example.test");
        var (tenant, api, admin) = await SubscriberAsync(host, "value-adder-" + db, $"value-adder-{db}@example.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/console/products")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/console/inbox")).StatusCode);

        var page = await op.GetStringAsync("/console/providers");
        Assert.Contains("data-license-form", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/providers\"", page, StringComparison.Ordinal);
        // An unknown tenant, and an owner (who needs no licence): refused on the tenant's field.
        var unknown = await op.PostAsync("/console/providers?handler=License", new FormUrlEncodedContent([.. AntiforgeryField(page), new("tenantId", "nobody-" + db)]));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("data-field-error=\"tenantId\"", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var ownerTenant = await op.PostAsync("/console/providers?handler=License", new FormUrlEncodedContent([.. AntiforgeryField(page), new("tenantId", Owner)]));
        Assert.Equal(HttpStatusCode.BadRequest, ownerTenant.StatusCode);
        Assert.Contains("data-field-error=\"tenantId\"", await ownerTenant.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var licensed = await op.PostAsync("/console/providers?handler=License", new FormUrlEncodedContent(
            [.. AntiforgeryField(page), new("tenantId", tenant), new("note", "增值服务商 2026-12")]));
        Assert.Equal(HttpStatusCode.OK, licensed.StatusCode);
        var licensedHtml = await licensed.Content.ReadAsStringAsync();
        Assert.Contains($"data-done=\"licensed\" data-licence=\"{tenant}\"", licensedHtml, StringComparison.Ordinal);
        Assert.Contains($"data-licence-row=\"{tenant}\" data-licensed=\"true\"", licensedHtml, StringComparison.Ordinal);
        Assert.Contains("增值服务商 2026-12", licensedHtml, StringComparison.Ordinal);
        Assert.True((await PlatformHost.ReadJsonAsync(await api.GetAsync($"/v1/tenants/{tenant}/provider-licence")))["licensed"]!.GetValue<bool>());

        // Licensed: its admin has the provider console and an inbox for its subscriptions.
        var console = await admin.GetStringAsync("/console/products");
        Assert.Contains("data-create-product", console, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/products\"", console, StringComparison.Ordinal);
        Assert.Contains("data-no-pending-subscriptions", await admin.GetStringAsync("/console/inbox"), StringComparison.Ordinal);

        var revoked = await op.PostAsync("/console/providers?handler=Revoke", new FormUrlEncodedContent([.. AntiforgeryField(page), new("tenantId", tenant)]));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Contains($"data-licence-row=\"{tenant}\" data-licensed=\"false\"", await revoked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False((await PlatformHost.ReadJsonAsync(await api.GetAsync($"/v1/tenants/{tenant}/provider-licence")))["licensed"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/console/products")).StatusCode);

        // Nobody but the operator: an owner's admin is refused the page and its forms.
        using var ownerAdmin = await ConsolePeople.SignInAsync(host, Owner, "admin", $"licensing-owner-{db}@example.test");
        var ownerPage = await ownerAdmin.GetAsync("/console/providers");
        Assert.Equal(HttpStatusCode.Forbidden, ownerPage.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ownerAdmin.PostAsync("/console/providers?handler=License", new FormUrlEncodedContent(
            [.. AntiforgeryField(await ownerPage.Content.ReadAsStringAsync()), new("tenantId", tenant)]))).StatusCode);
        Assert.False((await PlatformHost.ReadJsonAsync(await api.GetAsync($"/v1/tenants/{tenant}/provider-licence")))["licensed"]!.GetValue<bool>());
    }
}
