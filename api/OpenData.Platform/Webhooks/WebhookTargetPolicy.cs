using System.Net;
using System.Net.Sockets;

namespace OpenData.Platform.Webhooks;

/// <summary>
/// Which places a webhook may point at: public unicast addresses only. Registration judges the URL as written; delivery judges every
/// address its host name resolves to, so a name that leads inside the platform's network (now, or after its DNS changes) is never reached.
/// </summary>
internal static class WebhookTargetPolicy
{
    private readonly record struct Range(byte[] Prefix, int Bits)
    {
        public bool Contains(ReadOnlySpan<byte> address)
        {
            if (address.Length != Prefix.Length)
            {
                return false;
            }
            var whole = Bits / 8;
            if (!address[..whole].SequenceEqual(Prefix.AsSpan(0, whole)))
            {
                return false;
            }
            var rest = Bits % 8;
            var mask = (byte)(0xFF << (8 - rest));
            return rest == 0 || (address[whole] & mask) == (Prefix[whole] & mask);
        }
    }

    private static Range Cidr(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        return new Range(IPAddress.Parse(cidr[..slash]).GetAddressBytes(), int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    // Special-purpose IPv4 (RFC 6890 and the IANA registry) plus cloud metadata endpoints that sit in public space.
    private static readonly Range[] RefusedV4 =
    [
        Cidr("0.0.0.0/8"),          // "this network"; 0.0.0.0 reaches the local host on Linux
        Cidr("10.0.0.0/8"),
        Cidr("100.64.0.0/10"),      // shared/CGNAT; Alibaba Cloud metadata is 100.100.100.200
        Cidr("127.0.0.0/8"),
        Cidr("169.254.0.0/16"),     // link-local; AWS, GCP, Azure, Huawei and Tencent metadata live here
        Cidr("172.16.0.0/12"),
        Cidr("192.0.0.0/24"),       // IETF protocol assignments; Oracle Cloud metadata is 192.0.0.192
        Cidr("192.0.2.0/24"),
        Cidr("192.88.99.0/24"),     // 6to4 relay anycast
        Cidr("192.168.0.0/16"),
        Cidr("198.18.0.0/15"),
        Cidr("198.51.100.0/24"),
        Cidr("203.0.113.0/24"),
        Cidr("224.0.0.0/4"),        // multicast
        Cidr("240.0.0.0/4"),        // reserved, and 255.255.255.255 broadcast
        Cidr("168.63.129.16/32"),   // Azure's WireServer: public-looking, answers only from inside the VM
    ];

    private static readonly Range[] RefusedV6 =
    [
        Cidr("::/8"),               // unspecified, loopback, IPv4-compatible (IPv4-mapped is judged by its IPv4 before this)
        Cidr("64:ff9b:1::/48"),     // local-use NAT64
        Cidr("100::/64"),           // discard-only
        Cidr("2001::/23"),          // IETF protocol assignments, Teredo (2001::/32) among them
        Cidr("2001:db8::/32"),      // documentation
        Cidr("3fff::/20"),          // documentation
        Cidr("fc00::/7"),           // unique local; AWS metadata is fd00:ec2::254
        Cidr("fe80::/10"),          // link-local
        Cidr("fec0::/10"),          // deprecated site-local
        Cidr("ff00::/8"),           // multicast
    ];

    private static readonly Range Nat64 = Cidr("64:ff9b::/96");
    private static readonly Range SixToFour = Cidr("2002::/16");

    // Names that lead inside a network by definition, whatever they resolve to from where the caller stands.
    private static readonly string[] RefusedNames = ["localhost", "metadata", "metadata.goog", "metadata.google.internal", "metadata.tencentyun.com", "instance-data"];
    private static readonly string[] RefusedSuffixes = [".localhost", ".local", ".internal", ".home.arpa", ".lan"];

    /// <summary>True when <paramref name="address"/> is not a public unicast address, judging an IPv4 address carried inside IPv6 as itself.</summary>
    public static bool IsRefused(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return IsRefused(address.MapToIPv4());
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        bytes = bytes[..length];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return AnyContains(RefusedV4, bytes);
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return true;
        }
        // NAT64 and 6to4 carry the IPv4 address they lead to; a gateway would take the request there.
        if (Nat64.Contains(bytes))
        {
            return IsRefused(new IPAddress(bytes[12..16]));
        }
        if (SixToFour.Contains(bytes))
        {
            return IsRefused(new IPAddress(bytes[2..6]));
        }
        return AnyContains(RefusedV6, bytes);
    }

    private static bool AnyContains(Range[] ranges, ReadOnlySpan<byte> address)
    {
        foreach (var range in ranges)
        {
            if (range.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// True when a URL, as written, leads somewhere webhooks may not go: a refused literal address (in any spelling <see cref="Uri"/> accepts,
    /// such as <c>2130706433</c>, <c>0x7f.1</c> or <c>[::ffff:7f00:1]</c>), a loopback or metadata name, a private-use suffix, or a
    /// single-label name (resolved through the platform's own search domains). Names are judged again by their addresses at delivery.
    /// </summary>
    public static bool IsRefused(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return !IPAddress.TryParse(url.IdnHost, out var literal) || IsRefused(literal);
        }
        if (url.HostNameType != UriHostNameType.Dns)
        {
            return true;
        }
        var host = url.IdnHost.TrimEnd('.').ToLowerInvariant();
        // IPAddress.TryParse also reads inet_aton spellings, which a resolver may treat as an address too.
        if (IPAddress.TryParse(host, out var spelled))
        {
            return IsRefused(spelled);
        }
        return host.Length == 0 || !host.Contains('.', StringComparison.Ordinal) || url.IsLoopback
            || RefusedNames.Contains(host, StringComparer.Ordinal)
            || RefusedSuffixes.Any(s => host.EndsWith(s, StringComparison.Ordinal));
    }
}
