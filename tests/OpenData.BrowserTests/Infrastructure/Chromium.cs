using System.Collections;
using Microsoft.Playwright;

namespace OpenData.BrowserTests.Infrastructure;

/// <summary>Headless Chromium from the Debian package <c>chromium</c>, driven by Playwright (no <c>playwright install</c>).</summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <summary>Launches the browser; <paramref name="profile"/> takes its config and cache folders (nothing goes into the home folder).</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string profile)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Chromium at {ExecutablePath}: install the Debian package `chromium` " +
                "(as root: apt-get update && apt-get install -y chromium). .ci/run installs it.");
        }
        // Playwright's Env replaces the browser's whole environment, so start from this process's own.
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        environment["XDG_CONFIG_HOME"] = Directory.CreateDirectory(Path.Combine(profile, "config")).FullName;
        environment["XDG_CACHE_HOME"] = Directory.CreateDirectory(Path.Combine(profile, "cache")).FullName;
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
            Env = environment,
        });
    }
}
