using System.Net;
using System.Net.Sockets;

namespace OpenData.Platform.Webhooks;

/// <summary>
/// The HTTP client webhooks are sent with: no proxy, no redirects, and every connection made to an address that <see cref="WebhookTargetPolicy"/>
/// judged a moment before, from the same DNS answer, so a name cannot pass the check and then resolve somewhere else for the connection.
/// </summary>
internal static class WebhookTransport
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <param name="allowPrivateAddresses">Skips the address check (for development and tests with a local receiver); connections still go only to resolved addresses.</param>
    /// <param name="resolve">Name resolution; the system resolver unless a test stands in for DNS.</param>
    public static HttpClient CreateClient(bool allowPrivateAddresses, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        var lookup = resolve ?? Dns.GetHostAddressesAsync;
        var handler = new SocketsHttpHandler
        {
            // A redirect is the receiver choosing a second target, one it could point inside the platform's network.
            AllowAutoRedirect = false,
            // A proxy would resolve and connect on its own, past the check in the connect callback.
            UseProxy = false,
            UseCookies = false,
            // Pooled connections are reused without a new connect; retiring them makes names be resolved and judged again.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivateAddresses, lookup, cancellationToken),
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout };
    }

    /// <summary>Resolves the target once, refuses it if any of its addresses is refused, and connects to those same addresses in turn.</summary>
    internal static async ValueTask<Stream> ConnectAsync(
        DnsEndPoint target, bool allowPrivateAddresses, Func<string, CancellationToken, Task<IPAddress[]>> resolve, CancellationToken cancellationToken)
    {
        var addresses = await resolve(target.Host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        // Any refused address refuses the name: otherwise an answer listing a public and a private address would reach the private one
        // whenever the public one fails to connect.
        if (!allowPrivateAddresses && addresses.Any(WebhookTargetPolicy.IsRefused))
        {
            throw new WebhookTargetRefusedException();
        }
        SocketException? failure = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, target.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failure = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw failure!;
    }
}
