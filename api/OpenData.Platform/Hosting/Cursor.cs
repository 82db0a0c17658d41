using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace OpenData.Platform.Hosting;

/// <summary>Opaque cursors: base64url text that callers hand back unchanged.</summary>
public static class Cursor
{
    public static string Encode(string value) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(value));

    public static bool TryDecode(string? cursor, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 8192)
        {
            return false;
        }
        try
        {
            value = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
