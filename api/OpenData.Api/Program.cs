using System.Reflection;
using OpenData.Api;

// Started as its own process, a fatal start-up error ends as one sentence on standard error and a documented exit code
// (ExitCodes, StartupFailure), not a stack trace. Hosted by a test factory, the exception reaches the factory as it is.
if (Assembly.GetEntryAssembly() != typeof(Program).Assembly)
{
    return await OpenDataHost.RunAsync(args);
}
IConfiguration? configuration = null;
try
{
    return await OpenDataHost.RunAsync(args, c => configuration = c);
}
catch (Exception e)
{
    var failure = StartupFailure.Describe(e, configuration);
    await Console.Out.FlushAsync();
    await Console.Error.WriteLineAsync("opendata: " + failure.Sentence);
    if (failure.ShowTrace)
    {
        await Console.Error.WriteLineAsync(e.ToString());
    }
    return failure.ExitCode;
}

/// <summary>The host's entry point; public so integration tests can start it.</summary>
public partial class Program;
