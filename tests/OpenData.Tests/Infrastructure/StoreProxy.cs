using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace OpenData.Tests.Infrastructure;

/// <summary>
/// A TCP relay in front of the test PostgreSQL server, for one host's connections only: <see cref="StopAsync"/> closes the port and
/// cuts every relayed connection (as a server restart does to its clients), <see cref="Start"/> listens again on the same port.
/// Other tests' databases on the shared server are not touched.
/// </summary>
public sealed class StoreProxy : IAsyncDisposable
{
    private readonly IPEndPoint _server;
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private Task? _accepting;

    private StoreProxy(IPEndPoint server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A relay to the server of <c>OPENDATA_TEST_POSTGRES</c>, listening.</summary>
    public static StoreProxy StartToTestServer()
    {
        var target = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString);
        var address = IPAddress.TryParse(target.Host, out var ip) ? ip : Dns.GetHostAddresses(target.Host!)[0];
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var proxy = new StoreProxy(new IPEndPoint(address, target.Port), port);
        proxy.Start();
        return proxy;
    }

    /// <summary>The connection string <paramref name="direct"/> rewritten to go through this relay.</summary>
    public string Route(string direct) =>
        new NpgsqlConnectionStringBuilder(direct) { Host = "127.0.0.1", Port = Port }.ToString();

    public void Start()
    {
        lock (_gate)
        {
            var listener = new TcpListener(IPAddress.Loopback, Port);
            // The port's earlier connections may linger in TIME_WAIT; listening again must not wait for them.
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            _accepting = AcceptAsync(listener);
        }
    }

    /// <summary>Stops listening (new connections are refused) and resets every connection relayed so far.</summary>
    public async Task StopAsync()
    {
        Task? accepting;
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
            accepting = _accepting;
            foreach (var client in _open)
            {
                if (client.Client is { Connected: true } socket)
                {
                    // A reset, as a server whose process died leaves its clients.
                    socket.LingerState = new LingerOption(true, 0);
                }
                client.Dispose();
            }
            _open.Clear();
        }
        if (accepting is not null)
        {
            await accepting;
        }
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(_server);
            }
            catch (SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }
            lock (_gate)
            {
                if (_listener != listener)
                {
                    client.Dispose();
                    upstream.Dispose();
                    return;
                }
                _open.Add(client);
                _open.Add(upstream);
            }
            _ = PumpAsync(client, upstream);
            _ = PumpAsync(upstream, client);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        from.Dispose();
        to.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
