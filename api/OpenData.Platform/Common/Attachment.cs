using System.Text;

namespace OpenData.Platform.Common;

/// <summary>
/// <c>Content-Disposition: attachment</c> for a file name built from request input (dataset ids, tenant ids, dates), after
/// RFC 6266: an ASCII <c>filename</c> of safe characters only, and the full name as RFC 8187 <c>filename*</c>.
/// </summary>
internal static class Attachment
{
    private const int MaxNameLength = 128;

    /// <summary>The header value; nothing in it can end the header, open a parameter or name a folder.</summary>
    public static string ContentDisposition(string fileName)
    {
        var name = Clean(fileName);
        var ascii = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            ascii.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }
        // Uri.EscapeDataString leaves only RFC 3986's unreserved characters, all of them RFC 8187 attr-chars.
        return $"attachment; filename=\"{ascii}\"; filename*=UTF-8''{Uri.EscapeDataString(name)}";
    }

    /// <summary>
    /// The name without control characters, quotes, path separators or leading dots, at most <see cref="MaxNameLength"/>
    /// characters (the extension kept); "download" when nothing is left.
    /// </summary>
    private static string Clean(string fileName)
    {
        var clean = new StringBuilder(fileName?.Length ?? 0);
        foreach (var c in fileName ?? "")
        {
            clean.Append(char.IsControl(c) || char.IsSurrogate(c) || c is '"' or '\\' or '/' or ':' or '*' or '?' or '<' or '>' or '|' or ';' or '%' ? '_' : c);
        }
        if (clean.Length > MaxNameLength)
        {
            // Shortened in the middle: the extension is what a download is opened with.
            var extension = Path.GetExtension(clean.ToString());
            extension = extension.Length <= 10 ? extension : "";
            clean.Length = MaxNameLength - extension.Length;
            clean.Append(extension);
        }
        var name = clean.ToString().TrimStart('.', ' ').TrimEnd('.', ' ');
        return name.Length == 0 ? "download" : name;
    }
}
