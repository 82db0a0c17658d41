namespace OpenData.Api;

/// <summary>The exit codes of the host and its operator commands, as the README lists them.</summary>
internal static class ExitCodes
{
    public const int Done = 0;

    /// <summary>A command could not do its work and changed nothing (<c>import</c> rejected the file; <c>backup</c> or <c>restore</c> refused).</summary>
    public const int ImportRejected = 1;

    /// <summary>A command was given wrong arguments.</summary>
    public const int Usage = 2;

    /// <summary>A setting is missing, malformed or unsafe for the environment (issuer, host names, a value that does not parse).</summary>
    public const int Configuration = 3;

    /// <summary>A policy file is missing or wrong.</summary>
    public const int PolicyFile = 4;

    /// <summary>The configured PostgreSQL database does not exist.</summary>
    public const int DatabaseMissing = 5;

    /// <summary>The database server cannot be reached, or refuses the login.</summary>
    public const int DatabaseUnreachable = 6;

    /// <summary>The address to listen on is taken by another program, or not allowed.</summary>
    public const int AddressUnavailable = 7;

    /// <summary>Outside Development, a demo credential from the README still works.</summary>
    public const int DemoCredentials = 8;

    /// <summary>Anything else: a fault of the platform, reported with its stack trace.</summary>
    public const int Unexpected = 70;

    /// <summary>Stopped by Ctrl+C.</summary>
    public const int Cancelled = 130;
}
