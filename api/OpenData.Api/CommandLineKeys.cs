namespace OpenData.Api;

/// <summary>
/// Command-line settings may be spelled as environment variables are: <c>--OpenData__Quotas__Enabled=false</c> means
/// <c>--OpenData:Quotas:Enabled=false</c>. .NET's command-line provider would take <c>__</c> literally and the setting would be
/// ignored without a word; only the key is rewritten, never the value.
/// </summary>
internal static class CommandLineKeys
{
    public static string[] Normalise(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var normalised = new string[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var prefix = arg.StartsWith("--", StringComparison.Ordinal) ? 2 : arg.StartsWith('/') && arg.Contains('=', StringComparison.Ordinal) ? 1 : 0;
            var end = arg.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0 ? equals : arg.Length;
            normalised[i] = prefix > 0 && end > prefix
                ? string.Concat(arg.AsSpan(0, prefix), arg[prefix..end].Replace("__", ":", StringComparison.Ordinal), arg.AsSpan(end))
                : arg;
        }
        return normalised;
    }
}
