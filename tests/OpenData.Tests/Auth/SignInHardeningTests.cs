using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using OpenData.Platform.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Auth;

/// <summary>
/// Issue 13, item 4, as the attack: finding out which accounts exist, guessing passwords and client secrets, locking a
/// victim out, posting a sign-in or consent from another site, and steering the browser elsewhere after sign-in.
/// </summary>
public sealed class SignInHardeningTests
{
    private static readonly Dictionary<string, string?> BehindProxy = new() { ["OpenData:Proxy:KnownProxies"] = "127.0.0.1,::1" };

    [DatabaseTheory, OnEachDatabase]
    public async Task Unknown_and_known_accounts_get_the_same_answer_after_the_same_work(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, BehindProxy);
        async Task<(HttpStatusCode Status, string Error, TimeSpan Took)> TryAsync(string email, string from)
        {
            using var browser = OAuthFlows.Browser(host, from);
            var watch = Stopwatch.StartNew();
            var response = await OAuthFlows.SignInAsync(browser, email, "wrong-password");
            watch.Stop();
            var page = await response.Content.ReadAsStringAsync();
            var error = System.Text.RegularExpressions.Regex.Match(page, "class=\"error\"[^>]*>([^<]*)<").Groups[1].Value;
            return (response.StatusCode, error, watch.Elapsed);
        }
        var known = new List<TimeSpan>();
        var unknown = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            // Each from an address of its own, so no throttling mixes in.
            var k = await TryAsync("developer@demo.opendata.local", $"198.51.100.{i + 1}");
            var u = await TryAsync($"nobody{i}@demo.opendata.local", $"198.51.100.{i + 11}");
            Assert.Equal(HttpStatusCode.Unauthorized, k.Status);
            Assert.Equal(k.Status, u.Status);
            Assert.Equal(k.Error, u.Error);
            Assert.Equal(SignInEndpoints.Failure, System.Net.WebUtility.HtmlDecode(k.Error));
            known.Add(k.Took);
            unknown.Add(u.Took);
        }
        // The unknown account pays for a password hash too (PBKDF2): far from the near-zero time of a skipped check.
        var knownMedian = known.Order().ElementAt(1);
        var unknownMedian = unknown.Order().ElementAt(1);
        Assert.True(unknownMedian > knownMedian * 0.3, $"unknown {unknownMedian.TotalMilliseconds:F0} ms vs known {knownMedian.TotalMilliseconds:F0} ms");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_guesser_is_slowed_down_more_at_each_failure_but_the_victim_signs_in_from_elsewhere_at_once(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, BehindProxy);
        using var attacker = OAuthFlows.Browser(host, "203.0.113.66");
        var took = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await OAuthFlows.SignInAsync(attacker, "developer@demo.opendata.local", $"guess-{i}");
            took.Add(watch.Elapsed);
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"attempt {i}: {(int)response.StatusCode}");
            Assert.NotEqual((HttpStatusCode)423, response.StatusCode);
        }
        // The first tries are free; by the eighth each one waits for its slot (0.25 s doubling per failure).
        // (The very first answer may carry the host's warm-up, so the free tries are judged by the quickest of them.)
        Assert.True(took[7] > took.Take(3).Min() + TimeSpan.FromMilliseconds(600), string.Join(", ", took.Select(t => $"{t.TotalMilliseconds:F0} ms")));

        // The victim, from home, is not locked out: the right password works, with at most the account's short delay.
        using var victim = OAuthFlows.Browser(host, "198.51.100.7");
        var clock = Stopwatch.StartNew();
        var signedIn = await OAuthFlows.SignInAsync(victim, "developer@demo.opendata.local", "demo-password-2026", "/docs");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/docs", signedIn.Headers.Location!.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task An_address_that_keeps_failing_is_told_to_come_back_later_while_the_accounts_own_key_never_refuses()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var throttle = new FailureThrottle(clock);
        FailureThrottle.Key[] attacker = [new("address:203.0.113.66", TimeSpan.FromSeconds(30), Serialised: true), new("account:a", TimeSpan.FromSeconds(1), Serialised: false)];
        for (var i = 0; i < 8; i++)
        {
            throttle.Failed(attacker);
        }
        // Slots are handed out one after another (8 failures: 30 s apart at the cap); a far one is refused at once.
        var waiting = new List<Task<TimeSpan?>>();
        TimeSpan? refused = null;
        for (var i = 0; i < 5 && refused is null; i++)
        {
            var turn = throttle.WaitTurnAsync(attacker, CancellationToken.None);
            if (turn.IsCompleted)
            {
                refused = await turn;
            }
            else
            {
                waiting.Add(turn);
            }
        }
        Assert.NotNull(refused);
        Assert.True(refused > FailureThrottle.MaxWait, $"{refused}");
        // The account's own key only delays (at most its cap, 1 s), never refuses: nobody can lock the victim out with it.
        var victim = throttle.WaitTurnAsync([new("address:198.51.100.7", TimeSpan.FromSeconds(30), Serialised: true), new("account:a", TimeSpan.FromSeconds(1), Serialised: false)], CancellationToken.None);
        Assert.False(victim.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await victim.WaitAsync(TimeSpan.FromSeconds(5)));
        clock.Advance(TimeSpan.FromMinutes(5));
        foreach (var turn in waiting)
        {
            Assert.Null(await turn.WaitAsync(TimeSpan.FromSeconds(5)));
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Guessing_a_client_secret_is_slowed_down_and_the_real_client_still_gets_its_token(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, BehindProxy);
        var took = new List<TimeSpan>();
        for (var i = 0; i < 7; i++)
        {
            using var guesser = host.Anonymous();
            guesser.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.99");
            var watch = Stopwatch.StartNew();
            var response = await guesser.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = "demo-owner-app", ["client_secret"] = $"guess-{i}",
            }));
            took.Add(watch.Elapsed);
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.True(took[6] > took.Take(3).Min() + TimeSpan.FromMilliseconds(300), string.Join(", ", took.Select(t => $"{t.TotalMilliseconds:F0} ms")));
        using var real = host.Anonymous();
        real.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.20");
        var watchReal = Stopwatch.StartNew();
        var token = await real.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "demo-owner-app", ["client_secret"] = "demo-owner-secret",
        }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.True(watchReal.Elapsed < TimeSpan.FromSeconds(5), $"{watchReal.Elapsed.TotalMilliseconds:F0} ms");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Sign_in_and_consent_posted_without_the_pages_antiforgery_token_do_nothing(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        // A page elsewhere posts the sign-in form with the victim's browser (login CSRF): refused, no cookie.
        using var browser = OAuthFlows.Browser(host);
        var forged = await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = "developer@demo.opendata.local", ["password"] = "demo-password-2026", ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(forged.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("opendata_signin", StringComparison.Ordinal)));

        // Signed in for real; a page elsewhere then posts "allow" for an app's request: the consent page comes back, no code.
        var (clientId, _) = await OAuthFlows.CodeFlowAppAsync(host, "people", "wang@people.test", "a-good-password");
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, "wang@people.test", "a-good-password")).StatusCode);
        var consent = await browser.PostAsync("/connect/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = OAuthFlows.Redirect, ["scope"] = "records:read",
            ["state"] = "s", ["code_challenge"] = new string('A', 43), ["code_challenge_method"] = "S256", ["consent"] = "allow",
        }));
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        Assert.Contains("name=\"consent\" value=\"allow\"", await consent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task After_sign_in_the_browser_goes_only_to_a_local_path_whatever_the_return_url_says(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        string[] hostile =
        [
            "https://evil.test/", "//evil.test/", "/\\evil.test", "/\t/evil.test", "/%5Cevil.test", "/%2F%2Fevil.test", "%2F%2Fevil.test",
            "/%252F%252Fevil.test", "/\r\nSet-Cookie: x=y", "/ /evil.test", "javascript:alert(1)", "/\u0000", "\\\\evil.test", "",
        ];
        foreach (var returnUrl in hostile)
        {
            using var browser = OAuthFlows.Browser(host);
            var response = await OAuthFlows.SignInAsync(browser, "developer@demo.opendata.local", "demo-password-2026", returnUrl);
            if (returnUrl.Contains('\0', StringComparison.Ordinal))
            {
                // A form holding a NUL cannot be read at all: a 400 problem, never a 500 and never a redirect.
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                continue;
            }
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{returnUrl}: {(int)response.StatusCode}");
            Assert.Equal("/", response.Headers.Location!.OriginalString);
        }
        // A local path, even a non-ASCII one, is kept (percent-encoded for the Location header).
        using (var browser = OAuthFlows.Browser(host))
        {
            var response = await OAuthFlows.SignInAsync(browser, "developer@demo.opendata.local", "demo-password-2026", "/docs?q=数据");
            Assert.Equal("/docs?q=%E6%95%B0%E6%8D%AE", response.Headers.Location!.OriginalString);
        }
        // The sign-in page itself never fails on an odd return URL: the form, or for a NUL (refused in every query string)
        // a 400 problem naming the parameter.
        foreach (var returnUrl in hostile)
        {
            var page = await host.Anonymous().GetAsync("/account/signin?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
            if (returnUrl.Contains('\0', StringComparison.Ordinal))
            {
                Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
                Assert.Contains("request.invalid_characters", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                continue;
            }
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
    }
}
