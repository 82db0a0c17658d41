using System.Net;
using Microsoft.AspNetCore.Http;

namespace OpenData.Platform.Common;

/// <summary>
/// The document around a page the platform writes itself (sign-in, consent): a title and a body fragment in, a whole HTML
/// document out. The platform's own frame is a plain page; a host with a portal registers the portal's, so those pages wear
/// its look (header, stylesheet, language) without the platform knowing the portal.
/// </summary>
internal interface IHtmlPageFrame
{
    string Document(HttpContext context, string title, string body);
}

/// <summary>The frame of a host without a portal: a small page with its style inline (allowed by hash, see <see cref="ContentSecurityPolicy"/>).</summary>
internal sealed class PlainPageFrame : IHtmlPageFrame
{
    public string Document(HttpContext context, string title, string body) => $$"""
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8"><title>{{WebUtility.HtmlEncode(title)}} · OpenData</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0}input{width:100%;padding:.4rem}.error{color:#b00020}button{margin:.8rem .5rem 0 0;padding:.4rem 1rem}</style>
        </head><body><h1>{{WebUtility.HtmlEncode(title)}}</h1>{{body}}</body></html>
        """;
}
