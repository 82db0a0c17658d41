using System.Globalization;
using Microsoft.Extensions.Options;

namespace OpenData.Platform.Quotas;

/// <summary>The quota day: it starts at midnight of <see cref="QuotaOptions.DayOffsetHours"/>.</summary>
internal sealed class QuotaDay(TimeProvider clock, IOptions<QuotaOptions> options)
{
    private TimeSpan Offset => TimeSpan.FromHours(options.Value.DayOffsetHours);

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Offset).DateTime);

    public string TodayKey => Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Whole seconds until the next day starts (at least 1).</summary>
    public long SecondsToReset
    {
        get
        {
            var now = clock.GetUtcNow().ToOffset(Offset);
            var next = new DateTimeOffset(now.Date.AddDays(1), Offset);
            return Math.Max(1, (long)Math.Ceiling((next - now).TotalSeconds));
        }
    }
}
