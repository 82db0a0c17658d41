using System.Collections.Concurrent;

namespace OpenData.Platform.Auth;

/// <summary>
/// Slows down guessing (passwords at sign-in, client secrets at the token endpoint) without letting anyone lock a victim
/// out. Each key (a client address; an account or client id with the address; an account alone) counts its failures; from
/// the third one on, attempts under that key are spaced at least 0.25 s × 2^(failures − 3) apart, up to the key's cap, and
/// an attempt waits for its slot before its credentials are even checked. A slot further away than
/// <see cref="MaxWait"/> is refused at once (429 with Retry-After) instead of holding a connection.
/// </summary>
/// <remarks>
/// Why no lock: a lock keyed by the account lets anyone lock anyone. Keys that include the client address slow the
/// attacker without touching the victim, who signs in from elsewhere; the account's own key (for attackers spread over
/// many addresses) only adds a short delay that never accumulates, so it can't be made into a lockout either. Unknown
/// accounts are keyed and delayed exactly like known ones, so timing tells nothing. Counts live on this node (a guesser
/// spread over several nodes gets a few more tries; the exponential spacing still wins) and are forgotten 15 minutes
/// after the last failure.
/// </remarks>
internal sealed class FailureThrottle(TimeProvider clock)
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Forget = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);
    private const int FreeFailures = 3;
    private const int MaxKeys = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset LastFailure;
        public DateTimeOffset Next;
    }

    /// <summary>A key and how it throttles: <paramref name="Serialised"/> keys space attempts out; others only delay each one, capped.</summary>
    public readonly record struct Key(string Name, TimeSpan Cap, bool Serialised);

    /// <summary>
    /// Waits for the attempt's slot under every key. Null when the attempt may go on; otherwise how long to wait before
    /// trying again (the attempt is refused without checking anything).
    /// </summary>
    public async Task<TimeSpan?> WaitTurnAsync(IReadOnlyList<Key> keys, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var wait = TimeSpan.Zero;
        foreach (var key in keys)
        {
            if (!_entries.TryGetValue(key.Name, out var entry))
            {
                continue;
            }
            lock (entry)
            {
                if (now - entry.LastFailure > Forget)
                {
                    entry.Failures = 0;
                }
                var spacing = Spacing(entry.Failures, key.Cap);
                if (!key.Serialised)
                {
                    wait = Max(wait, spacing);
                    continue;
                }
                var start = entry.Next > now ? entry.Next : now;
                if (start - now > MaxWait)
                {
                    return start - now;
                }
                entry.Next = start + spacing;
                wait = Max(wait, start - now);
            }
        }
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, cancellationToken);
        }
        return null;
    }

    /// <summary>Counts a failed attempt under each key.</summary>
    public void Failed(IReadOnlyList<Key> keys)
    {
        var now = clock.GetUtcNow();
        if (_entries.Count >= MaxKeys)
        {
            foreach (var stale in _entries.Where(e => now - e.Value.LastFailure > Forget).Select(e => e.Key).ToList())
            {
                _entries.TryRemove(stale, out _);
            }
        }
        foreach (var key in keys)
        {
            var entry = _entries.GetOrAdd(key.Name, static _ => new Entry());
            lock (entry)
            {
                if (now - entry.LastFailure > Forget)
                {
                    entry.Failures = 0;
                }
                entry.Failures++;
                entry.LastFailure = now;
            }
        }
    }

    /// <summary>Forgets a key's failures (a right password for the account from that address).</summary>
    public void Succeeded(string key) => _entries.TryRemove(key, out _);

    private static TimeSpan Spacing(int failures, TimeSpan cap)
    {
        if (failures < FreeFailures)
        {
            return TimeSpan.Zero;
        }
        var spacing = First * Math.Pow(2, Math.Min(failures - FreeFailures, 20));
        return spacing < cap ? spacing : cap;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
