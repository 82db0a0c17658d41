using System.Text;

namespace OpenData.Tests.Hosting.Fuzz;

/// <summary>One generated request, printable so a failure can be read and replayed by its seed.</summary>
/// <param name="Target">Path and query, already percent-encoded.</param>
public sealed record FuzzRequest(ulong Seed, FuzzCaller Caller, string Method, string Target, string? BodyType, string? Body)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(Target, UriKind.Relative));
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
            message.Content.Headers.TryAddWithoutValidation("Content-Type", BodyType ?? "application/json");
            // As curl does for a body over 1 KB: a server that refuses the request first (401, 413) answers before the body
            // is sent, instead of closing the connection under a client still writing it.
            message.Headers.ExpectContinue = Body.Length > 1024;
        }
        return message;
    }

    public override string ToString()
    {
        var body = Body is null ? "" : $"\n  {BodyType}: {(Body.Length > 600 ? Body[..600] + $"… ({Body.Length} chars)" : Body)}";
        var target = Target.Length > 600 ? Target[..600] + $"… ({Target.Length} chars)" : Target;
        return $"[OPENDATA_FUZZ_SEED={Seed}] as {Caller}: {Method} {target}{body}";
    }
}
