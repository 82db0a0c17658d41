using System.Net;
using OpenData.Platform.Common;
using OpenData.Platform.Seed;

namespace OpenData.Api;

/// <summary>
/// In Development, <c>/demo/callback</c> is the redirect URI of the code-flow demo app and shows the code to exchange. (The page
/// at <c>/</c> is the portal's home page: portal/OpenData.Portal.)
/// </summary>
internal static class Landing
{
    public static void MapLanding(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            app.MapGet("/demo/callback", DemoCallback).WithName("DemoCallback").AllowAnonymous().ExcludeFromDescription();
        }
    }

    private static HtmlPage DemoCallback(HttpContext context, string? code, string? state, string? error, string? error_description)
    {
        if (error is not null || code is null)
        {
            return Page("授权未完成 No code", $"<p role=\"alert\">{Encode(error ?? "no code in the address")}: {Encode(error_description)}</p>");
        }
        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        return Page("授权码 Authorization code", $"""
            <p>The demo app <code>{DemoAccounts.WebClientId}</code> received this code (state <code>{Encode(state)}</code>). Exchange it within five minutes, once, with the verifier you made:</p>
            <pre>curl -s {Encode(origin)}/connect/token -d grant_type=authorization_code \
              -d client_id={DemoAccounts.WebClientId} -d client_secret={DemoAccounts.WebSecret} \
              -d redirect_uri={Encode(origin)}/demo/callback -d code_verifier="$VERIFIER" \
              -d code={Encode(code)}</pre>
            """);
    }

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static HtmlPage Page(string title, string body) => new($$"""
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8"><title>{{Encode(title)}} · OpenData</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}pre{white-space:pre-wrap;background:#f4f4f4;padding:.8rem}</style>
        </head><body><main><h1>{{Encode(title)}}</h1>{{body}}</main></body></html>
        """);
}
