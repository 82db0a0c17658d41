using System.Text;

namespace OpenData.Platform.Auth;

/// <summary>
/// Where sign-in may send the browser afterwards: a path on this site and nothing else. Browsers drop tabs and line breaks
/// from URLs and read a backslash as a slash, so <c>/\tevil.test</c>, <c>/\evil.test</c> and <c>/%5Cevil.test</c> all
/// mean <c>//evil.test</c> to them; the URL is judged after undoing what a browser would undo.
/// </summary>
internal static class LocalReturnUrl
{
    /// <summary>The return URL if it is a local path (non-ASCII percent-encoded so it fits a Location header), else null.</summary>
    public static string? Normalise(string? raw)
    {
        if (string.IsNullOrEmpty(raw) || raw.Length > 2048 || raw[0] != '/')
        {
            return null;
        }
        // Control characters, spaces and backslashes have no place in a path we issue ourselves.
        foreach (var c in raw)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
            {
                return null;
            }
        }
        // Encoded forms count as what they decode to (a few rounds: %255C is %5C once decoded).
        var decoded = raw;
        for (var round = 0; round < 3; round++)
        {
            var next = Uri.UnescapeDataString(decoded);
            if (next == decoded)
            {
                break;
            }
            decoded = next;
        }
        if (decoded.Length > 1 && (decoded[1] is '/' or '\\') || decoded.Any(c => char.IsControl(c) || c == '\\'))
        {
            return null;
        }
        if (!Uri.TryCreate(raw, UriKind.Relative, out _))
        {
            return null;
        }
        var builder = new StringBuilder(raw.Length);
        foreach (var b in Encoding.UTF8.GetBytes(raw))
        {
            if (b < 0x80)
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }
}
