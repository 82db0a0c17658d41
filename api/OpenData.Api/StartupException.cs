namespace OpenData.Api;

/// <summary>A start-up failure the host has already put into words, with the exit code it ends the process with.</summary>
internal sealed class StartupException(int exitCode, string message, Exception? innerException = null) : Exception(message, innerException)
{
    public int ExitCode { get; } = exitCode;
}
