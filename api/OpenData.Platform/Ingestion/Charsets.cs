using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace OpenData.Platform.Ingestion;

/// <summary>The text encodings uploads may use: UTF-8, and GB18030 (which also reads GBK and GB2312 files).</summary>
internal static class Charsets
{
    static Charsets()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static bool TryResolve(string? name, [NotNullWhen(true)] out string? canonical, [NotNullWhen(true)] out Encoding? encoding)
    {
        switch (name?.Trim().Trim('"').ToLowerInvariant())
        {
            case null or "" or "utf-8" or "utf8":
                canonical = "utf-8";
                encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
                return true;
            case "gb18030" or "gbk" or "gb2312" or "cp936":
                canonical = "gb18030";
                encoding = Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
                return true;
            default:
                canonical = null;
                encoding = null;
                return false;
        }
    }
}
