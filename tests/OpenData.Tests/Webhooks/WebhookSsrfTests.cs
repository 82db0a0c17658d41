using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using OpenData.Platform.Webhooks;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Webhooks;

/// <summary>
/// Webhooks as a server-side request forgery channel (OWASP API7:2023), each test written as the attack: an address or URL spelling that
/// leads inside, a name that passes registration and resolves to loopback at delivery, a receiver redirecting to a private address, and a
/// caller reading the delivery log to learn which internal ports answer.
/// </summary>
public sealed class WebhookSsrfTests
{
    /// <summary>A local HTTP listener that counts requests and answers each with a fixed status (and <c>Location</c>, when given).</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly int _status;
        private readonly string? _location;

        public Receiver(int status = 204, string? location = null)
        {
            _status = status;
            _location = location;
            Port = FreePort();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public int Port { get; }

        public ConcurrentQueue<string> Hits { get; } = new();

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                Hits.Enqueue(context.Request.Url!.PathAndQuery);
                context.Response.StatusCode = _status;
                if (_location is not null)
                {
                    context.Response.RedirectLocation = _location;
                }
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }

    /// <summary>A port nothing listens on a moment later: bound by the system, then released.</summary>
    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static HttpClient Admin(PlatformHost host) => host.As(RestrictedOwner, "tenant:admin");

    // ---- The policy, range by range ----

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("100.64.0.1")]
    [InlineData("100.100.100.200")] // Alibaba Cloud metadata
    [InlineData("100.127.255.254")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("169.254.169.254")] // AWS, GCP, Azure metadata
    [InlineData("169.254.0.23")] // Tencent Cloud metadata
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.192")] // Oracle Cloud metadata
    [InlineData("192.0.2.10")]
    [InlineData("192.88.99.1")]
    [InlineData("192.168.1.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.255")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.5")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("168.63.129.16")] // Azure WireServer
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::127.0.0.1")] // IPv4-compatible
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped
    [InlineData("::ffff:7f00:1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("::ffff:0:127.0.0.1")] // SIIT translated
    [InlineData("64:ff9b::7f00:1")] // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    [InlineData("64:ff9b:1::808:808")] // local-use NAT64
    [InlineData("2002:7f00:1::1")] // 6to4 of 127.0.0.1
    [InlineData("2002:a00:1::")] // 6to4 of 10.0.0.1
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")] // Teredo
    [InlineData("2001:db8::1")]
    [InlineData("3fff::1")]
    [InlineData("100::1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")] // AWS metadata over IPv6
    [InlineData("fe80::1")]
    [InlineData("febf::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("ff05::1:3")]
    public void Addresses_inside_or_special_are_refused(string address) =>
        Assert.True(WebhookTargetPolicy.IsRefused(IPAddress.Parse(address)), $"{address} should be refused");

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.215.14")]
    [InlineData("100.63.255.255")] // just below CGNAT
    [InlineData("100.128.0.1")] // just above CGNAT
    [InlineData("172.15.255.255")] // just below 172.16/12
    [InlineData("172.32.0.1")] // just above
    [InlineData("169.253.255.255")]
    [InlineData("223.255.255.254")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    [InlineData("2002:808:808::1")] // 6to4 of 8.8.8.8
    public void Public_unicast_addresses_are_allowed(string address) =>
        Assert.False(WebhookTargetPolicy.IsRefused(IPAddress.Parse(address)), $"{address} should be allowed");

    // ---- Registration, as written ----

    [Theory]
    [InlineData("http://127.0.0.1/")]
    [InlineData("http://2130706433/")] // decimal
    [InlineData("http://0x7f.1/")] // hex
    [InlineData("http://0x7f000001/")]
    [InlineData("http://0177.0.0.1/")] // octal
    [InlineData("http://127.1/")] // short form
    [InlineData("http://0/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[::ffff:7f00:1]/")]
    [InlineData("http://[0:0:0:0:0:ffff:a9fe:a9fe]/")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/")]
    [InlineData("http://[fe80::1%25eth0]/")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    [InlineData("http://100.100.100.200/latest/meta-data/")]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/")]
    [InlineData("http://localhost/")]
    [InlineData("http://LOCALHOST:8080/")]
    [InlineData("http://localhost./")] // trailing dot
    [InlineData("http://api.localhost/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://metadata.google.internal./")]
    [InlineData("http://metadata/")]
    [InlineData("http://metadata.tencentyun.com/")]
    [InlineData("http://printer.local/")]
    [InlineData("http://db.corp.internal/")]
    [InlineData("http://intranet/")] // single label: completed by the platform's own search domains
    [InlineData("http://example.com@127.0.0.1/")] // userinfo in front of the real host
    [InlineData("http://user:pass@169.254.169.254/")]
    [InlineData("http://127.0.0.1#@example.com/")]
    [InlineData("http://127.0.0.1:80?@example.com/")]
    public void Urls_leading_inside_are_refused_however_they_are_spelt(string url) =>
        Assert.True(WebhookTargetPolicy.IsRefused(new Uri(url)), $"{url} should be refused");

    [Theory]
    [InlineData("https://hooks.example.org/opendata")]
    [InlineData("https://127.0.0.1.example.com/")] // a name, judged by its addresses at delivery
    [InlineData("https://localhost.example.com/")]
    [InlineData("http://8.8.8.8/hook")]
    [InlineData("https://[2606:4700:4700::1111]/hook")]
    [InlineData("https://127.0.0.1@hooks.example.org/")] // userinfo that looks like loopback, in front of a public host
    public void Public_urls_are_allowed(string url) =>
        Assert.False(WebhookTargetPolicy.IsRefused(new Uri(url)), $"{url} should be allowed");

    [DatabaseTheory, OnEachDatabase]
    public async Task Registration_refuses_odd_spellings_of_internal_addresses(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var admin = Admin(host);
        string[] attacks =
        [
            "http://2130706433/hook", "http://0x7f.1/hook", "http://0177.0.0.1/hook", "http://[::ffff:127.0.0.1]/hook", "http://[::ffff:7f00:1]/hook",
            "http://localhost./hook", "http://example.com@127.0.0.1/hook", "http://100.100.100.200/latest/meta-data/", "http://[fd00:ec2::254]/",
            "http://metadata.google.internal/computeMetadata/v1/",
        ];
        foreach (var url in attacks)
        {
            var problem = await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync("/v1/webhooks", new { url }), HttpStatusCode.BadRequest, "request.validation");
            // One message for every form: the answer does not say which range or rule the URL met.
            Assert.Equal("url points into a private or loopback network, which webhooks may not reach", problem["errors"]!["url"]![0]!.GetValue<string>());
        }
        Assert.Empty((await PlatformHost.ReadJsonAsync(await admin.GetAsync("/v1/webhooks")))["items"]!.AsArray());
    }

    // ---- Delivery, at connect time ----

    [Fact]
    public async Task A_name_resolving_to_loopback_is_refused_before_any_connection()
    {
        using var receiver = new Receiver();
        var lookups = 0;
        using var http = WebhookTransport.CreateClient(allowPrivateAddresses: false, (_, _) =>
        {
            Interlocked.Increment(ref lookups);
            return Task.FromResult(new[] { IPAddress.Loopback });
        });
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsync(new Uri($"http://innocent.example.org:{receiver.Port}/hook"), null));
        Assert.IsType<WebhookTargetRefusedException>(e.InnerException);
        Assert.DoesNotContain("127.0.0.1", e.InnerException!.Message, StringComparison.Ordinal);
        Assert.Equal(1, lookups);
        Assert.Empty(receiver.Hits);
    }

    [Fact]
    public async Task A_name_with_one_public_and_one_private_address_is_refused()
    {
        using var receiver = new Receiver();
        using var http = WebhookTransport.CreateClient(allowPrivateAddresses: false,
            (_, _) => Task.FromResult(new[] { IPAddress.Parse("192.0.2.1"), IPAddress.Parse("8.8.8.8"), IPAddress.Loopback }));
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsync(new Uri($"http://round-robin.example.org:{receiver.Port}/hook"), null));
        Assert.IsType<WebhookTargetRefusedException>(e.InnerException);
        Assert.Empty(receiver.Hits);
    }

    /// <summary>
    /// DNS rebinding: the name answers one address to the check and another to a second lookup. The connection must use the first answer;
    /// the system resolver cannot resolve the name at all, so a hit on the receiver proves the socket went to the judged address.
    /// </summary>
    [Fact]
    public async Task The_connection_goes_to_the_address_that_was_checked_not_a_second_lookup()
    {
        using var receiver = new Receiver();
        var lookups = 0;
        using var http = WebhookTransport.CreateClient(allowPrivateAddresses: true, (_, _) =>
            Task.FromResult(new[] { Interlocked.Increment(ref lookups) == 1 ? IPAddress.Loopback : IPAddress.Parse("127.0.0.2") }));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://rebinding.invalid:{receiver.Port}/hook");
        // HttpListener answers only for the host it listens as; the connection itself still goes wherever the lookup said.
        request.Headers.Host = $"127.0.0.1:{receiver.Port}";
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, lookups);
        Assert.Single(receiver.Hits);
    }

    /// <summary>Waits until every delivery of the webhook has been attempted at least once; returns the log as the caller reads it.</summary>
    private static async Task<(JsonNode Delivery, string Text)> AttemptedAsync(PlatformHost host, string webhookId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await Admin(host).GetAsync($"/v1/webhooks/{webhookId}/deliveries");
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var items = JsonNode.Parse(text)!["items"]!.AsArray();
            if (items.Count > 0 && items.All(i => i!["attempts"]!.GetValue<int>() > 0))
            {
                return (Assert.Single(items)!, text);
            }
            Assert.True(DateTime.UtcNow < deadline, $"no attempt logged within 30 s: {text}");
            await Task.Delay(100);
        }
    }

    /// <summary>The log entry holds its fixed fields and a word from the fixed list; no address, host, port or socket message anywhere in the log.</summary>
    private static void AssertNoNetworkDetail(JsonNode delivery, string log, params int[] ports)
    {
        Assert.Subset(new HashSet<string> { "id", "event", "status", "attempts", "createdAt", "deliveredAt", "lastStatus", "lastError", "payload" },
            delivery.AsObject().Select(p => p.Key).ToHashSet());
        Assert.Contains(delivery["lastError"]!.GetValue<string>(), new[] { "refused_target", "timeout", "connect_failed", "request_failed", "http_status" });
        foreach (var detail in new[] { "127.0.0.1", "::1", "::ffff", "localhost", "refused (", "Connection refused", "actively refused", "No such host" }
            .Concat(ports.Select(p => ":" + p.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            Assert.DoesNotContain(detail, log, StringComparison.OrdinalIgnoreCase);
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_name_that_passed_registration_but_resolves_to_loopback_is_refused_and_the_log_says_only_so(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, new Dictionary<string, string?> { ["OpenData:Webhooks:PollMilliseconds"] = "100" });
        using var receiver = new Receiver();
        var byName = (await PlatformHost.ReadJsonAsync(await Admin(host).PostAsJsonAsync("/v1/webhooks", new { url = "https://hooks.example.org/by-name" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();
        var byLiteral = (await PlatformHost.ReadJsonAsync(await Admin(host).PostAsJsonAsync("/v1/webhooks", new { url = "https://hooks.example.org/by-literal" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();
        // The names now lead to loopback, as after a DNS change (or rows kept from before the registration check): `localhost` through the
        // system resolver, and a mapped IPv6 literal of 127.0.0.1.
        await host.ExecuteSqlAsync($"UPDATE webhooks SET url = 'http://localhost:{receiver.Port}/hook' WHERE id = '{byName}'");
        await host.ExecuteSqlAsync($"UPDATE webhooks SET url = 'http://[::ffff:127.0.0.1]:{receiver.Port}/hook' WHERE id = '{byLiteral}'");

        await SubmitAsync(Consumer(host, "ssrf-probe"), Restricted);
        foreach (var webhook in new[] { byName, byLiteral })
        {
            var (delivery, log) = await AttemptedAsync(host, webhook);
            Assert.Equal("retrying", delivery["status"]!.GetValue<string>());
            Assert.Equal("refused_target", delivery["lastError"]!.GetValue<string>());
            Assert.Null(delivery["lastStatus"]);
            AssertNoNetworkDetail(delivery, log, receiver.Port);
        }
        Assert.Empty(receiver.Hits);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_redirect_to_a_private_address_is_not_followed_and_a_closed_port_is_not_named(string db)
    {
        // Private addresses are allowed here so that a local receiver can play the attacker's server.
        await using var host = await PlatformHost.StartAsync(db, new Dictionary<string, string?>
        {
            ["OpenData:Webhooks:AllowPrivateAddresses"] = "true",
            ["OpenData:Webhooks:PollMilliseconds"] = "100",
        });
        using var internalService = new Receiver(status: 200);
        using var attacker = new Receiver(status: 302, location: $"http://127.0.0.1:{internalService.Port}/admin/delete-everything");
        var closedPort = FreePort();
        var redirected = (await PlatformHost.ReadJsonAsync(await Admin(host).PostAsJsonAsync("/v1/webhooks", new { url = $"http://127.0.0.1:{attacker.Port}/hook" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();
        var scanned = (await PlatformHost.ReadJsonAsync(await Admin(host).PostAsJsonAsync("/v1/webhooks", new { url = $"http://127.0.0.1:{closedPort}/hook" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();

        await SubmitAsync(Consumer(host, "ssrf-redirect"), Restricted);
        var (delivery, log) = await AttemptedAsync(host, redirected);
        Assert.Equal(302, delivery["lastStatus"]!.GetValue<int>());
        Assert.Equal("http_status", delivery["lastError"]!.GetValue<string>());
        Assert.Equal("retrying", delivery["status"]!.GetValue<string>());
        Assert.NotEmpty(attacker.Hits);
        Assert.Empty(internalService.Hits);
        AssertNoNetworkDetail(delivery, log, internalService.Port);

        // Probing ports: a closed one answers with a word, not the socket error naming the address and port.
        var (probe, probeLog) = await AttemptedAsync(host, scanned);
        Assert.Equal("connect_failed", probe["lastError"]!.GetValue<string>());
        Assert.Null(probe["lastStatus"]);
        AssertNoNetworkDetail(probe, probeLog, closedPort);
    }
}
