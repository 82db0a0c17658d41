using System.Diagnostics;
using Npgsql;

namespace OpenData.Api.Cli;

/// <summary>
/// Runs PostgreSQL's own <c>pg_dump</c> and <c>pg_restore</c> against the configured database. The connection goes to them
/// through libpq's environment (PGHOST, PGPASSWORD, …), so the password never appears on a command line other users can list.
/// </summary>
internal static class PostgresTools
{
    public const string InstallHint = "install PostgreSQL's client tools (Debian/Ubuntu: apt-get install postgresql-client; RHEL: dnf install postgresql) at the server's major version or newer, and put them on PATH";

    /// <summary>The full path of <paramref name="tool"/> on PATH, or null.</summary>
    public static string? Find(string tool)
    {
        var name = OperatingSystem.IsWindows() ? tool + ".exe" : tool;
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Runs the tool with the connection in its environment; answers its exit code and what it wrote to stderr.</summary>
    public static async Task<(int ExitCode, string Errors)> RunAsync(string executable, string connectionString, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        // Only what is said here counts: a PG* variable of the operator's shell must not redirect the tool to another server.
        foreach (var variable in new[] { "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSSLMODE", "PGSERVICE", "PGOPTIONS" })
        {
            start.Environment.Remove(variable);
        }
        Set(start, "PGHOST", connection.Host);
        Set(start, "PGPORT", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set(start, "PGUSER", connection.Username);
        Set(start, "PGPASSWORD", connection.Password);
        Set(start, "PGDATABASE", connection.Database);
        Set(start, "PGSSLMODE", connection.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        });
        Set(start, "PGAPPNAME", "opendata-backup");
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, (await errors + await output).Trim());
    }

    private static void Set(ProcessStartInfo start, string variable, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            start.Environment[variable] = value;
        }
    }
}
