using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;

namespace OpenData.Platform.Storage;

/// <summary>
/// Tells the other nodes to forget what they cached of something that changed here (a dataset published or retagged, a tenant's
/// grants, the void tokens). On PostgreSQL each signal goes out as a <c>NOTIFY</c> on <see cref="Channel"/>, which every node
/// <c>LISTEN</c>s to (<see cref="CacheSignalRelay"/>), so the others forget at once; the caches' own intervals stay the fallback
/// (a signal lost while a node's listening connection was down, or SQLite, which has no NOTIFY and sends nothing).
/// </summary>
internal sealed class CacheSignals(Database database)
{
    /// <summary>The PostgreSQL channel the nodes notify and listen on.</summary>
    public const string Channel = "opendata_caches";

    private readonly ConcurrentDictionary<string, ConcurrentBag<Action<string?>>> _subscribers = new(StringComparer.Ordinal);
    private readonly Channel<string> _outbox = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>This node, so that it ignores its own signals (it forgot at once already).</summary>
    public string Node { get; } = Guid.NewGuid().ToString("N")[..16];

    /// <summary>Whether signals reach other nodes at all (PostgreSQL); otherwise the caches' intervals alone bound what they miss.</summary>
    public bool Relayed => database.Provider == DatabaseProvider.Postgres;

    /// <summary>Calls <paramref name="forget"/> with the key another node signalled for <paramref name="kind"/>, or null: forget all of it.</summary>
    public void Subscribe(string kind, Action<string?> forget) => _subscribers.GetOrAdd(kind, _ => []).Add(forget);

    /// <summary>Tells the other nodes that <paramref name="key"/> of <paramref name="kind"/> changed; returns at once (the relay sends it).</summary>
    public void Send(string kind, string key)
    {
        if (Relayed)
        {
            _outbox.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"{Node}|{kind}|{key}"));
        }
    }

    internal ChannelReader<string> Outbox => _outbox.Reader;

    /// <summary>A signal as it arrived from the channel: forgotten here unless this node sent it.</summary>
    internal void Receive(string payload)
    {
        var parts = payload.Split('|', 3);
        if (parts.Length != 3 || parts[0] == Node || !_subscribers.TryGetValue(parts[1], out var forgets))
        {
            return;
        }
        foreach (var forget in forgets)
        {
            forget(parts[2]);
        }
    }

    /// <summary>Every cache forgets everything: signals may have been missed while the listening connection was down.</summary>
    internal void ForgetEverything()
    {
        foreach (var forgets in _subscribers.Values)
        {
            foreach (var forget in forgets)
            {
                forget(null);
            }
        }
    }
}
