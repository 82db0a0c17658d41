using Microsoft.Playwright;

namespace OpenData.BrowserTests.Infrastructure;

/// <summary>One platform server and one Chromium per test class; each test opens its own browser context (fresh storage).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    // The first token request of a fresh store creates its signing keys, which takes seconds on a small machine.
    private const float Timeout = 30_000;

    private readonly string _profile = Directory.CreateTempSubdirectory("opendata-chromium-").FullName;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private PlatformServer? _server;

    public PlatformServer Server => _server ?? throw new InvalidOperationException("the fixture has not started");

    /// <summary>The server's clock: the real time until a test moves it forward (which only a class of its own should do).</summary>
    public ShiftedClock Clock { get; } = new();

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(Timeout);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright, _profile);
        _server = PlatformServer.Start(Clock);
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _blocked = new();

    /// <summary>Requests a page tried to send off this machine (a CDN reference, a font service): refused, and kept here to fail on.</summary>
    public IReadOnlyCollection<string> BlockedRequests => _blocked;

    /// <summary>
    /// A new context (its own cookies and sessionStorage) whose relative URLs resolve against the server. The tests run offline:
    /// every request for another host than the loopback is refused, so a page that loads anything from outside fails.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await (_browser ?? throw new InvalidOperationException("the fixture has not started")).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(Timeout);
        await context.RouteAsync(url => !IsLoopback(url), route =>
        {
            _blocked.Enqueue(route.Request.Url);
            return route.AbortAsync("blockedbyclient");
        });
        return context;
    }

    private static bool IsLoopback(string url) =>
        !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "ws" or "wss") || uri.IsLoopback;

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
