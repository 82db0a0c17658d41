using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;
using static OpenData.Tests.Portal.ConsoleTests;

namespace OpenData.Tests.Portal;

/// <summary>
/// The console's webhooks page on the real host: an admin registers a webhook (its secret shown once, and the one deliveries are signed
/// with), finds a delivery in its log, redelivers it (htmx gets the log back), stops it; bad URLs and private addresses are refused on the
/// field; a person who is not an admin gets neither the page nor its forms; no form works without its antiforgery token.
/// </summary>
public sealed class WebhooksPageTests
{
    private static readonly Dictionary<string, string?> Receiving = new()
    {
        ["OpenData:Webhooks:AllowPrivateAddresses"] = "true",
        ["OpenData:Webhooks:PollMilliseconds"] = "100",
    };

    [DatabaseTheory, OnEachDatabase]
    public async Task An_admin_registers_a_webhook_sees_its_delivery_redelivers_it_and_stops_it(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Receiving);
        using var receiver = new WebhookListener();
        using var browser = OAuthFlows.Browser(host);
        await SignUpAsync(browser, "钩子科技", "冯一", "feng@example.test");
        var page = await browser.GetStringAsync("/console/webhooks");
        var tenant = Regex.Match(await browser.GetStringAsync("/console"), "data-tenant=\"([^\"]+)\"").Groups[1].Value;
        Assert.Contains("data-new-webhook", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/webhooks\"", page, StringComparison.Ordinal);
        foreach (var name in new[] { "access_request.submitted", "access_request.decided", "grant.expiring", "grant.revoked", "usage.anomaly" })
        {
            Assert.Contains($"name=\"events\" id=\"event-{name.Replace('.', '-')}\" value=\"{name}\"", page, StringComparison.Ordinal);
        }

        // Registered through the form: the secret is shown once, with a copy button, and the webhook is listed.
        var registered = await browser.PostAsync("/console/webhooks?handler=Register", new FormUrlEncodedContent(
            [.. AntiforgeryField(page), new("url", receiver.Url), new("events", "access_request.decided")]));
        var html = await registered.Content.ReadAsStringAsync();
        Assert.True(registered.StatusCode == HttpStatusCode.OK, html);
        Assert.True(registered.Headers.CacheControl?.NoStore, "a page showing a secret may be stored");
        var secret = WebUtility.HtmlDecode(Regex.Match(html, "data-webhook-secret>([^<]+)<").Groups[1].Value);
        Assert.Equal(32, secret.Length);
        Assert.Contains("data-copy", html, StringComparison.Ordinal);
        var row = Regex.Match(html, "<tr data-webhook=\"([^\"]+)\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.Contains(receiver.Url, row.Groups[2].Value, StringComparison.Ordinal);
        Assert.Contains("access_request.decided", row.Groups[2].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("grant.revoked", row.Groups[2].Value, StringComparison.Ordinal);
        var webhook = row.Groups[1].Value;
        Assert.Contains("暂无投递", html, StringComparison.Ordinal);

        // An event for the tenant reaches the receiver signed with the secret shown, and appears in the log.
        var request = (await SubmitAsync(Consumer(host, tenant), Restricted))["id"]!.GetValue<string>();
        await PlatformHost.ReadJsonAsync(await DecideAsync(Reviewer(host, RestrictedOwner), request, "approve"));
        var first = await receiver.WaitForAsync("access_request.decided");
        AssertSigned(first.Signature, first.Body, secret);
        var logged = await WaitForStatusAsync(browser, first.Delivery, "delivered");
        Assert.Contains("access_request.decided", logged, StringComparison.Ordinal);
        Assert.Contains("HTTP 204", logged, StringComparison.Ordinal);
        Assert.Contains(request, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, logged, StringComparison.Ordinal);

        // Redeliver, as htmx posts it: the answer is the log alone, with a new delivery on top, which the receiver gets.
        var listed = await browser.GetStringAsync("/console/webhooks");
        using var redeliver = new HttpRequestMessage(HttpMethod.Post, "/console/webhooks?handler=Redeliver")
        {
            Content = new FormUrlEncodedContent([.. AntiforgeryField(listed), new("webhookId", webhook), new("deliveryId", first.Delivery)]),
        };
        redeliver.Headers.Add("HX-Request", "true");
        redeliver.Headers.Add("HX-Target", "delivery-log");
        var redelivered = await browser.SendAsync(redeliver);
        var fragment = await redelivered.Content.ReadAsStringAsync();
        Assert.True(redelivered.StatusCode == HttpStatusCode.OK, fragment);
        Assert.StartsWith("<section id=\"delivery-log\"", fragment.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("<html", fragment, StringComparison.Ordinal);
        var queued = Regex.Match(fragment, "data-redelivered=\"([^\"]+)\"").Groups[1].Value;
        Assert.StartsWith("wd_", queued, StringComparison.Ordinal);
        Assert.Equal([queued, first.Delivery], Regex.Matches(fragment, "data-delivery=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
        var again = await WaitForDeliveryAsync(receiver, queued);
        Assert.Equal(first.Body, again.Body);
        AssertSigned(again.Signature, again.Body, secret);

        // The secret is never shown again.
        var later = await browser.GetStringAsync("/console/webhooks");
        Assert.DoesNotContain(secret, later, StringComparison.Ordinal);

        // Stopped after a confirmation: it leaves the list, and a redelivery to it is refused with the reason.
        var stopped = await browser.PostAsync("/console/webhooks?handler=Stop", new FormUrlEncodedContent([.. AntiforgeryField(later), new("webhookId", webhook)]));
        var stoppedHtml = await stopped.Content.ReadAsStringAsync();
        Assert.True(stopped.StatusCode == HttpStatusCode.OK, stoppedHtml);
        Assert.Contains("Webhook 已停用", stoppedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-webhook=\"{webhook}\"", stoppedHtml, StringComparison.Ordinal);
        var refused = await browser.PostAsync("/console/webhooks?handler=Redeliver", new FormUrlEncodedContent(
            [.. AntiforgeryField(stoppedHtml), new("webhookId", webhook), new("deliveryId", first.Delivery)]));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("该 Webhook 已停用，不再投递任何事件", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await PlatformHost.ReadJsonAsync(await host.As(tenant, "tenant:admin").GetAsync("/v1/webhooks")))["items"]!.AsArray());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Bad_urls_are_refused_on_the_field_and_a_member_who_is_not_an_admin_gets_neither_the_page_nor_its_forms(string db)
    {
        // Without AllowPrivateAddresses, as in production.
        await using var host = await PlatformHost.StartAsync(db);
        using var admin = OAuthFlows.Browser(host);
        await SignUpAsync(admin, "钩子研究院", "陈二", "chen@example.test");
        var page = await admin.GetStringAsync("/console/webhooks");
        var tenant = Regex.Match(await admin.GetStringAsync("/console"), "data-tenant=\"([^\"]+)\"").Groups[1].Value;

        var internalUrl = await admin.PostAsync("/console/webhooks?handler=Register", new FormUrlEncodedContent(
            [.. AntiforgeryField(page), new("url", "http://169.254.169.254/latest/meta-data"), new("events", "grant.revoked")]));
        var internalHtml = await internalUrl.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, internalUrl.StatusCode);
        Assert.Contains("data-field-error=\"url\">该地址指向内网或本机", internalHtml, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", internalHtml, StringComparison.Ordinal);
        // The form keeps what was typed.
        Assert.Contains("value=\"http://169.254.169.254/latest/meta-data\"", internalHtml, StringComparison.Ordinal);

        var bad = await admin.PostAsync("/console/webhooks?handler=Register", new FormUrlEncodedContent([.. AntiforgeryField(page), new("url", "ftp://example.org/x")]));
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("data-field-error=\"url\">请填写完整的 http(s) 地址", badHtml, StringComparison.Ordinal);
        Assert.Contains("data-field-error=\"events\">请至少选择一个事件", badHtml, StringComparison.Ordinal);

        var hooks = host.As(tenant, "tenant:admin");
        Assert.Empty((await PlatformHost.ReadJsonAsync(await hooks.GetAsync("/v1/webhooks")))["items"]!.AsArray());
        var kept = await PlatformHost.ReadJsonAsync(await hooks.PostAsync("/v1/webhooks",
            JsonContent("{\"url\":\"https://hooks.example.org/kept\"}")), HttpStatusCode.Created);

        // A developer of the same tenant: the page says it is for admins, and its forms are refused.
        var members = await admin.GetStringAsync("/console/members");
        var added = await admin.PostAsync("/console/members", new FormUrlEncodedContent(
            [.. AntiforgeryField(members), new("name", "褚三"), new("email", "chu@example.test"), new("role", "developer"), new("password", Password)]));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        using var developer = OAuthFlows.Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(developer, "chu@example.test", Password)).StatusCode);
        var denied = await developer.GetAsync("/console/webhooks");
        var deniedHtml = await denied.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("只有本单位的管理员可以查看和管理 Webhook", deniedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("data-new-webhook", deniedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("hooks.example.org", deniedHtml, StringComparison.Ordinal);
        var token = AntiforgeryField(deniedHtml);
        var register = await developer.PostAsync("/console/webhooks?handler=Register", new FormUrlEncodedContent(
            [.. token, new("url", "https://hooks.example.org/sneaky"), new("events", "grant.revoked")]));
        Assert.Equal(HttpStatusCode.Forbidden, register.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await developer.PostAsync("/console/webhooks?handler=Stop",
            new FormUrlEncodedContent([.. token, new("webhookId", kept["id"]!.GetValue<string>())]))).StatusCode);
        var listed = Assert.Single((await PlatformHost.ReadJsonAsync(await hooks.GetAsync("/v1/webhooks")))["items"]!.AsArray());
        Assert.Equal("https://hooks.example.org/kept", listed!["url"]!.GetValue<string>());

        // Without the antiforgery token, no form of the page does anything, even for the admin.
        foreach (var handler in new[] { "Register", "Stop", "Redeliver" })
        {
            var forged = await admin.PostAsync($"/console/webhooks?handler={handler}", new FormUrlEncodedContent(
                [new("url", "https://hooks.example.org/forged"), new("events", "grant.revoked"), new("webhookId", kept["id"]!.GetValue<string>()), new("deliveryId", "wd_none")]));
            Assert.True(forged.StatusCode == HttpStatusCode.BadRequest, $"{handler}: {(int)forged.StatusCode}");
        }
        listed = Assert.Single((await PlatformHost.ReadJsonAsync(await hooks.GetAsync("/v1/webhooks")))["items"]!.AsArray());
        Assert.Equal(kept["id"]!.GetValue<string>(), listed!["id"]!.GetValue<string>());
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>The page's delivery log once the delivery has the status (the worker records the answer just after the receiver gets it).</summary>
    private static async Task<string> WaitForStatusAsync(HttpClient browser, string delivery, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var html = "";
        while (DateTime.UtcNow < deadline)
        {
            html = await browser.GetStringAsync("/console/webhooks");
            var row = Regex.Match(html, $"<tr data-delivery=\"{delivery}\" data-status=\"([^\"]+)\"[^>]*>(.*?)</tr>", RegexOptions.Singleline);
            if (row.Success && row.Groups[1].Value == status)
            {
                return row.Value;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"delivery {delivery} never {status}: {html}");
    }

    private static async Task<(string Event, string Signature, string Body, int Answered, string Delivery)> WaitForDeliveryAsync(WebhookListener receiver, string delivery)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var hit = receiver.Received.FirstOrDefault(r => r.Delivery == delivery);
            if (hit.Delivery is not null)
            {
                return hit;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"delivery {delivery} never arrived");
    }

    private static void AssertSigned(string signature, string body, string secret)
    {
        var parts = signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(parts["t"] + "." + body))), parts["v1"]);
    }
}
