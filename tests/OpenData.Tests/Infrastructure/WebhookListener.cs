using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenData.Tests.Infrastructure;

/// <summary>A local HTTP listener standing in for a tenant's webhook receiver, recording what it receives; the first <c>failFirst</c> requests answer 500.</summary>
internal sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private int _failures;

    public WebhookListener(int failFirst = 0)
    {
        _failures = failFirst;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    public ConcurrentQueue<(string Event, string Signature, string Body, int Answered, string Delivery)> Received { get; } = new();

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
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var status = Interlocked.Decrement(ref _failures) >= 0 ? 500 : 204;
            Received.Enqueue((context.Request.Headers["X-OpenData-Event"] ?? "", context.Request.Headers["X-OpenData-Signature"] ?? "", body, status,
                context.Request.Headers["X-OpenData-Delivery"] ?? ""));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public async Task<(string Event, string Signature, string Body, int Answered, string Delivery)> WaitForAsync(string eventName, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var hit = Received.FirstOrDefault(r => r.Event == eventName && r.Answered < 300);
            if (hit.Event is not null)
            {
                return hit;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no {eventName} delivered; received: {string.Join(", ", Received.Select(r => r.Event + "/" + r.Answered))}");
    }

    public void Dispose() => _listener.Close();
}
