using OpenData.Bench;

// `OpenData.Bench bare …` is the baseline endpoint, started by the bench itself as a child process.
if (args.Length > 0 && args[0] == "bare")
{
    return await BareServer.RunAsync(args[1..]);
}
// `OpenData.Bench proxy …` is the scale test's reverse proxy, likewise a child process.
if (args.Length > 0 && args[0] == "proxy")
{
    return await ProxyServer.RunAsync(args[1..]);
}
if (args.Contains("--help") || args.Contains("-h"))
{
    BenchOptions.PrintUsage();
    return 0;
}
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    BenchOptions.PrintUsage();
    return 2;
}
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await BenchRun.RunAsync(options, cancel.Token);
