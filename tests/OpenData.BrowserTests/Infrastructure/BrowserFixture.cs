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

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(Timeout);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright, _profile);
        _server = PlatformServer.Start();
    }

    /// <summary>A new context (its own cookies and sessionStorage) whose relative URLs resolve against the server.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await (_browser ?? throw new InvalidOperationException("the fixture has not started")).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(Timeout);
        return context;
    }

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
