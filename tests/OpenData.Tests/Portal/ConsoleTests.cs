using System.Net;
using System.Text.RegularExpressions;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>
/// The signed-in developer's pages on the real host: sign-up makes a consumer tenant and its admin and signs them in; the
/// console's apps (secret shown once and working at /connect/token, rotation, disabling), members and access requests; the
/// request-access form of a dataset page makes the very request the API lists; every form wants its antiforgery token.
/// </summary>
public sealed partial class ConsoleTests
{
    internal const string Password = "correct horse battery";

    [DatabaseTheory, OnEachDatabase]
    public async Task Sign_up_creates_a_consumer_tenant_on_the_free_plan_with_its_admin_and_signs_them_in(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var browser = OAuthFlows.Browser(host);
        var signedUp = await SignUpAsync(browser, "宁波数据科技有限公司", "李明", "Li.Ming@Example.test");
        Assert.Equal(HttpStatusCode.Redirect, signedUp.StatusCode);
        Assert.Equal("/console", signedUp.Headers.Location!.OriginalString);

        var console = await browser.GetAsync("/console");
        var html = await console.Content.ReadAsStringAsync();
        Assert.True(console.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("李明", html, StringComparison.Ordinal);
        Assert.Contains("data-new-app", html, StringComparison.Ordinal);
        var tenant = Regex.Match(html, "data-tenant=\"([^\"]+)\"").Groups[1].Value;

        var op = host.As("platform", "platform:admin", "tenant:admin");
        var created = await PlatformHost.ReadJsonAsync(await op.GetAsync($"/v1/tenants/{tenant}"));
        Assert.Equal("consumer", created["kind"]!.GetValue<string>());
        Assert.Equal("free", created["plan"]!.GetValue<string>());
        Assert.Equal("宁波数据科技有限公司", created["name"]!.GetValue<string>());
        var members = (await PlatformHost.ReadJsonAsync(await op.GetAsync($"/v1/tenants/{tenant}/members")))["items"]!.AsArray();
        var admin = Assert.Single(members)!;
        Assert.Equal("li.ming@example.test", admin["email"]!.GetValue<string>());
        Assert.Equal("admin", admin["role"]!.GetValue<string>());

        // Signing out ends the session; the password then signs the person in again.
        var signedOut = await browser.PostAsync("/signout", new FormUrlEncodedContent(FormFields(html, "data-sign-out")));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/console")).StatusCode);
        using var again = OAuthFlows.Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(again, "li.ming@example.test", Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/console")).StatusCode);
    }

    [Fact]
    public async Task Sign_up_refuses_a_taken_e_mail_and_bad_fields_on_the_fields_in_the_pages_language()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using (var first = OAuthFlows.Browser(host))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await SignUpAsync(first, "甲公司", "张三", "zhang@example.test")).StatusCode);
        }
        using var browser = OAuthFlows.Browser(host);
        var taken = await SignUpAsync(browser, "乙公司", "张三", " ZHANG@example.test ");
        var html = await taken.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("data-field-error=\"email\">该电子邮箱已注册，请直接登录。<", html, StringComparison.Ordinal);
        // The form keeps what was typed, never the password.
        Assert.Contains("value=\"乙公司\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, html, StringComparison.Ordinal);

        var bad = await SignUpAsync(browser, "", "", "not-an-address", "short");
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        foreach (var (field, text) in new[] { ("organisation", "请填写单位名称"), ("name", "请填写姓名"), ("email", "请填写有效的电子邮箱"), ("password", "密码至少 10 个字符") })
        {
            Assert.Contains($"data-field-error=\"{field}\">{text}", badHtml, StringComparison.Ordinal);
        }
        Assert.Contains("aria-invalid=\"true\"", badHtml, StringComparison.Ordinal);

        // In English, the same refusal in English.
        var switched = await browser.PostAsync("/language", new FormUrlEncodedContent(FormFields(badHtml, "data-language-switch")));
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        var english = await (await SignUpAsync(browser, "Another Ltd", "Zhang San", "zhang@example.test")).Content.ReadAsStringAsync();
        Assert.Contains("data-field-error=\"email\">This e-mail address has an account already: sign in instead.<", english, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_app_created_in_the_console_shows_its_secret_once_which_works_until_rotated_and_the_app_disabled(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var browser = OAuthFlows.Browser(host);
        await SignUpAsync(browser, "丙公司", "王五", "wang@example.test");
        var console = await browser.GetStringAsync("/console");
        var created = await browser.PostAsync("/console?handler=Create", new FormUrlEncodedContent(
            [.. AntiforgeryField(console), new("name", "数据大屏"), new("environment", "sandbox"), new("scopes", "catalogue:read"), new("scopes", "records:read"), new("scopes", "access:request")]));
        var html = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.OK, html);
        Assert.True(created.Headers.CacheControl?.NoStore, "a page showing a secret may be stored");
        var clientId = Regex.Match(html, "data-client-id>([^<]+)<").Groups[1].Value;
        var secret = Regex.Match(html, "data-client-secret>([^<]+)<").Groups[1].Value;
        // A sandbox app's credentials say so, for people and secret scanners alike.
        Assert.StartsWith("sbx_ods_", secret, StringComparison.Ordinal);
        Assert.StartsWith("sbx_od_", clientId, StringComparison.Ordinal);
        Assert.Contains("data-copy", html, StringComparison.Ordinal);
        Assert.Contains("它不会再次显示", html, StringComparison.Ordinal);
        var row = Regex.Match(html, "<tr data-app=\"([^\"]+)\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.Contains("数据大屏", row.Groups[2].Value, StringComparison.Ordinal);
        Assert.Contains("沙箱", row.Groups[2].Value, StringComparison.Ordinal);
        Assert.Contains("access:request", row.Groups[2].Value, StringComparison.Ordinal);
        var appId = row.Groups[1].Value;

        // The secret works at the token endpoint, and the console never shows it again.
        var token = await OAuthFlows.ClientTokenAsync(host, clientId, secret);
        var me = await PlatformHost.ReadJsonAsync(await OAuthFlows.Bearer(host, token).GetAsync("/v1/me"));
        Assert.Equal("sandbox", me["environment"]!.GetValue<string>());
        var later = await browser.GetStringAsync("/console");
        Assert.DoesNotContain(secret, later, StringComparison.Ordinal);
        Assert.Contains(clientId, later, StringComparison.Ordinal);

        // Rotating shows a new secret once; the old one is refused from then on.
        var rotated = await browser.PostAsync("/console?handler=Rotate", new FormUrlEncodedContent([.. AntiforgeryField(later), new("appId", appId)]));
        var rotatedHtml = await rotated.Content.ReadAsStringAsync();
        Assert.True(rotated.StatusCode == HttpStatusCode.OK, rotatedHtml);
        var fresh = Regex.Match(rotatedHtml, "data-client-secret>([^<]+)<").Groups[1].Value;
        Assert.StartsWith("sbx_ods_", fresh, StringComparison.Ordinal);
        Assert.NotEqual(secret, fresh);
        var (oldStatus, oldBody) = await OAuthFlows.ExchangeAsync(host, ClientCredentials(clientId, secret));
        Assert.True(oldStatus is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, oldBody.ToJsonString());
        Assert.Equal("invalid_client", oldBody["error"]!.GetValue<string>());
        await OAuthFlows.ClientTokenAsync(host, clientId, fresh);

        // Disabling: the app is shown disabled, and its secret no longer gets a token.
        var disabled = await browser.PostAsync("/console?handler=Disable", new FormUrlEncodedContent([.. AntiforgeryField(rotatedHtml), new("appId", appId)]));
        var disabledHtml = await disabled.Content.ReadAsStringAsync();
        Assert.True(disabled.StatusCode == HttpStatusCode.OK, disabledHtml);
        Assert.Contains("已停用", Regex.Match(disabledHtml, $"<tr data-app=\"{appId}\">(.*?)</tr>", RegexOptions.Singleline).Value, StringComparison.Ordinal);
        var (afterStatus, _) = await OAuthFlows.ExchangeAsync(host, ClientCredentials(clientId, fresh));
        Assert.NotEqual(HttpStatusCode.OK, afterStatus);

        // Refusals land on the form: a nameless app, in the page's language.
        var nameless = await browser.PostAsync("/console?handler=Create", new FormUrlEncodedContent([.. AntiforgeryField(disabledHtml), new("name", " ")]));
        Assert.Equal(HttpStatusCode.BadRequest, nameless.StatusCode);
        Assert.Contains("data-field-error=\"name\">请填写应用名称", await nameless.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_developer_sees_the_apps_but_cannot_create_rotate_or_disable_them_nor_manage_members()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using var admin = OAuthFlows.Browser(host);
        await SignUpAsync(admin, "丁公司", "赵六", "zhao@example.test");
        var created = await admin.PostAsync("/console?handler=Create", new FormUrlEncodedContent([.. AntiforgeryField(await admin.GetStringAsync("/console")), new("name", "管理员的应用")]));
        var appId = Regex.Match(await created.Content.ReadAsStringAsync(), "<tr data-app=\"([^\"]+)\"").Groups[1].Value;
        var membersPage = await admin.GetStringAsync("/console/members");
        var added = await admin.PostAsync("/console/members", new FormUrlEncodedContent(
            [.. AntiforgeryField(membersPage), new("name", "钱七"), new("email", "qian@example.test"), new("role", "developer"), new("password", Password)]));
        var addedHtml = await added.Content.ReadAsStringAsync();
        Assert.True(added.StatusCode == HttpStatusCode.OK, addedHtml);
        Assert.Contains("data-member=\"qian@example.test\"", addedHtml, StringComparison.Ordinal);

        using var developer = OAuthFlows.Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(developer, "qian@example.test", Password)).StatusCode);
        var console = await developer.GetStringAsync("/console");
        Assert.Contains("管理员的应用", console, StringComparison.Ordinal);
        Assert.DoesNotContain("data-new-app", console, StringComparison.Ordinal);
        Assert.DoesNotContain("data-confirm-rotate", console, StringComparison.Ordinal);
        var token = AntiforgeryField(console);

        var create = await developer.PostAsync("/console?handler=Create", new FormUrlEncodedContent([.. token, new("name", "偷偷建的应用")]));
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Contains("只有本单位的管理员可以执行此操作", await create.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await developer.PostAsync("/console?handler=Rotate", new FormUrlEncodedContent([.. token, new("appId", appId)]))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await developer.PostAsync("/console?handler=Disable", new FormUrlEncodedContent([.. token, new("appId", appId)]))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await developer.GetAsync("/console/members")).StatusCode);
        var member = await developer.PostAsync("/console/members", new FormUrlEncodedContent(
            [.. token, new("name", "孙八"), new("email", "sun@example.test"), new("role", "admin"), new("password", Password)]));
        Assert.Equal(HttpStatusCode.Forbidden, member.StatusCode);

        var apps = await admin.GetStringAsync("/console");
        Assert.DoesNotContain("偷偷建的应用", apps, StringComparison.Ordinal);
        Assert.Contains("启用", Regex.Match(apps, $"<tr data-app=\"{appId}\">(.*?)</tr>", RegexOptions.Singleline).Value, StringComparison.Ordinal);
        Assert.DoesNotContain("sun@example.test", await admin.GetStringAsync("/console/members"), StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Requesting_access_on_a_restricted_datasets_page_makes_the_request_the_api_lists(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var browser = OAuthFlows.Browser(host);
        await SignUpAsync(browser, "戊研究院", "周九", "zhou@example.test");
        var tenant = Regex.Match(await browser.GetStringAsync("/console"), "data-tenant=\"([^\"]+)\"").Groups[1].Value;
        var page = await browser.GetStringAsync("/datasets/hotline-12345-requests");
        Assert.Contains("data-request-access", page, StringComparison.Ordinal);
        Assert.Contains("name=\"columns\" id=\"column-district\"", page, StringComparison.Ordinal);
        var form = FormFields(page, "data-request-access");

        // Refused: a purpose too short, shown on its field; nothing is created.
        var refused = await browser.PostAsync("/console/requests/new", new FormUrlEncodedContent(
            [.. form.Where(f => f.Key is "__RequestVerificationToken" or "datasetId"), new("purpose", "短"), new("columns", "district"), new("durationDays", "30")]));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("data-field-error=\"purpose\">请说明数据用途", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        const string purpose = "分析各区热线诉求的季节变化，用于公共服务研究";
        var submitted = await browser.PostAsync("/console/requests/new", new FormUrlEncodedContent(
            [.. form.Where(f => f.Key is "__RequestVerificationToken" or "datasetId"), new("purpose", purpose), new("columns", "district"), new("columns", "category"), new("durationDays", "30"), new("appId", "")]));
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        Assert.StartsWith("/datasets/hotline-12345-requests", submitted.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var after = await browser.GetStringAsync("/datasets/hotline-12345-requests");
        Assert.Contains("data-request-status=\"submitted\"", after, StringComparison.Ordinal);
        Assert.DoesNotContain("data-request-access", after, StringComparison.Ordinal);

        var listed = (await PlatformHost.ReadJsonAsync(await host.As(tenant, "catalogue:read").GetAsync("/v1/access-requests?role=requester")))["items"]!.AsArray();
        var request = Assert.Single(listed)!;
        Assert.Equal("hotline-12345-requests", request["datasetId"]!.GetValue<string>());
        Assert.Equal(purpose, request["purpose"]!.GetValue<string>());
        Assert.Equal(30, request["durationDays"]!.GetValue<int>());
        Assert.Equal(new[] { "district", "category" }, request["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("submitted", request["status"]!.GetValue<string>());

        var console = await browser.GetStringAsync("/console/requests");
        Assert.Contains($"data-request=\"{request["id"]!.GetValue<string>()}\"", console, StringComparison.Ordinal);
        Assert.Contains("data-status=\"submitted\"", console, StringComparison.Ordinal);
        Assert.Contains("data-action=\"submit\"", console, StringComparison.Ordinal);

        // A second request while one is open is refused with the API's reason.
        var twice = await browser.PostAsync("/console/requests/new", new FormUrlEncodedContent(
            [.. form.Where(f => f.Key is "__RequestVerificationToken" or "datasetId"), new("purpose", purpose), new("columns", "district"), new("durationDays", "30")]));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("已有未完成的申请", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_console_sends_a_visitor_without_a_session_to_sign_in_and_every_form_wants_its_antiforgery_token()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using var anonymous = OAuthFlows.Browser(host);
        var redirected = await anonymous.GetAsync("/console/requests");
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        var location = redirected.Headers.Location!;
        Assert.Equal("/account/signin?ReturnUrl=%2Fconsole%2Frequests", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
        var signin = await anonymous.GetStringAsync("/account/signin");
        Assert.Contains("href=\"/signup\"", signin, StringComparison.Ordinal);
        Assert.Contains("href=\"/\"", signin, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostAsync("/signup", new FormUrlEncodedContent(
            [new("organisation", "己公司"), new("name", "吴十"), new("email", "wu@example.test"), new("password", Password)]))).StatusCode);
        using var browser = OAuthFlows.Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await SignUpAsync(browser, "己公司", "吴十", "wu@example.test")).StatusCode);
        foreach (var path in new[] { "/console?handler=Create", "/console?handler=Rotate", "/console?handler=Disable", "/console/members", "/console/requests/new", "/signout" })
        {
            var forged = await browser.PostAsync(path, new FormUrlEncodedContent(
                [new("name", "x"), new("appId", "x"), new("datasetId", "hotline-12345-requests"), new("purpose", "一个足够长的用途说明文字"), new("durationDays", "30")]));
            Assert.True(forged.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)forged.StatusCode}");
        }
        // Still signed in, and nothing was made.
        var console = await browser.GetStringAsync("/console");
        Assert.DoesNotContain("<tr data-app=", console, StringComparison.Ordinal);
    }

    internal static async Task<HttpResponseMessage> SignUpAsync(HttpClient browser, string organisation, string name, string email, string password = Password)
    {
        var page = await browser.GetStringAsync("/signup");
        var fields = FormFields(page, "signup-form");
        fields["organisation"] = organisation;
        fields["name"] = name;
        fields["email"] = email;
        fields["password"] = password;
        return await browser.PostAsync("/signup", new FormUrlEncodedContent(fields));
    }

    private static Dictionary<string, string> ClientCredentials(string clientId, string secret) =>
        new() { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };

    /// <summary>The page's antiforgery token field (any form's: the token is the person's, not the form's).</summary>
    internal static KeyValuePair<string, string>[] AntiforgeryField(string page) =>
        [new("__RequestVerificationToken", FormFields(page, "data-sign-out")["__RequestVerificationToken"])];

    /// <summary>The named inputs with a value of the form carrying <paramref name="marker"/> (checked boxes only).</summary>
    internal static Dictionary<string, string> FormFields(string page, string marker)
    {
        var start = page.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no form marked {marker}");
        var form = page[start..];
        form = form[..form.IndexOf("</form>", StringComparison.Ordinal)];
        var fields = new Dictionary<string, string>();
        foreach (Match input in Input().Matches(form))
        {
            var tag = input.Value;
            if (tag.Contains("type=\"checkbox\"", StringComparison.Ordinal) || tag.Contains("type=\"radio\"", StringComparison.Ordinal))
            {
                continue;
            }
            var name = Regex.Match(tag, "\\sname=\"([^\"]+)\"").Groups[1].Value;
            var value = Regex.Match(tag, "\\svalue=\"([^\"]*)\"");
            if (name.Length > 0)
            {
                fields[name] = value.Success ? WebUtility.HtmlDecode(value.Groups[1].Value) : "";
            }
        }
        return fields;
    }

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex Input();
}
