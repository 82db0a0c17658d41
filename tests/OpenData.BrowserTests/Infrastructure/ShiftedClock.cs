namespace OpenData.BrowserTests.Infrastructure;

/// <summary>
/// The browser server's clock: the real time plus an offset a test moves forward (a contest's deadline passes without waiting
/// for it). Timers and timestamps stay the real ones, so background work and timeouts run as usual; with no offset it is the
/// system's clock.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    /// <summary>Moves the clock forward (only forward: what the server wrote keeps its order).</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
