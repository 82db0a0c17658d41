using System.Diagnostics.Metrics;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;

namespace OpenData.Tests.Desensitisation;

/// <summary>
/// A column that leaks on every page must not flood the log (a warning per page cost a busy host more than the scan itself):
/// the first leak is logged at once, the rest of the minute summed into the next line, and nothing is lost from the sums.
/// </summary>
public class OutboundLeakLogTests
{
    private sealed class Lines : ILoggerProvider, ILogger
    {
        public List<string> Written { get; } = [];
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Assert.Equal(LogLevel.Warning, logLevel);
            Assert.Equal("outbound.leak_masked", eventId.Name);
            Written.Add(formatter(state, exception));
        }
        public void Dispose() { }
    }

    private static ReadReport Read(string column, long count) =>
        new("tickets", 1, [column], 100, "hash", false, [new LeakCount(column, PiiKind.Mobile, count)]);

    [Fact]
    public async Task The_first_leak_is_logged_at_once_and_the_rest_of_the_window_in_one_line_with_their_sum()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var lines = new Lines();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var log = new OutboundLeakLog(new Logger<OutboundLeakLog>(new LoggerFactory([lines])), services.GetRequiredService<IMeterFactory>(), time);
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity());

        await log.OnReadAsync(anonymous, Read("note", 3), default);
        Assert.Single(lines.Written);
        Assert.Contains("3 Mobile value(s) masked in tickets.note for anonymous over 1 read(s)", lines.Written[0], StringComparison.Ordinal);

        // A page a second for the rest of the minute: summed, not logged.
        for (var i = 0; i < 59; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await log.OnReadAsync(anonymous, Read("note", 2), default);
        }
        Assert.Single(lines.Written);

        // Another column is its own key: its first leak is logged at once.
        await log.OnReadAsync(anonymous, Read("remark", 1), default);
        Assert.Equal(2, lines.Written.Count);

        // The first leak after the window carries the whole window's sum: 59 reads of 2, then this one.
        time.Advance(TimeSpan.FromSeconds(1));
        await log.OnReadAsync(anonymous, Read("note", 4), default);
        Assert.Equal(3, lines.Written.Count);
        Assert.Contains("122 Mobile value(s) masked in tickets.note for anonymous over 60 read(s)", lines.Written[2], StringComparison.Ordinal);
        Assert.DoesNotContain("1381", string.Concat(lines.Written), StringComparison.Ordinal);
    }
}
