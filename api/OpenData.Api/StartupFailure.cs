using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenData.Platform.Policies;
using OpenData.Platform.Seed;

namespace OpenData.Api;

/// <summary>
/// What a fatal start-up error means for the person who started the host: one sentence saying what is wrong and what to do,
/// and a documented exit code (<see cref="ExitCodes"/>). Only faults of the platform itself keep their stack trace.
/// </summary>
internal sealed partial record StartupFailure(int ExitCode, string Sentence, bool ShowTrace = false)
{
    public static StartupFailure Describe(Exception exception, IConfiguration? configuration)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e.InnerException)
        {
            if (Recognise(e, configuration) is { } failure)
            {
                return failure;
            }
        }
        return new StartupFailure(ExitCodes.Unexpected,
            $"the host stopped while starting because of a fault of its own ({exception.GetType().Name}: {exception.Message}); the stack trace follows, please report it",
            ShowTrace: true);
    }

    private static StartupFailure? Recognise(Exception e, IConfiguration? configuration)
    {
        switch (e)
        {
            case StartupException known:
                return new StartupFailure(known.ExitCode, known.Message);
            case PolicyException policy:
                return new StartupFailure(ExitCodes.PolicyFile,
                    $"a policy file is not valid: {Unsentence(policy.Message)}; correct it (the shipped policies/ folder shows the format) and start again");
            case DemoCredentialsException demo:
                return new StartupFailure(ExitCodes.DemoCredentials, Unsentence(demo.Message));
            case OptionsValidationException options:
                return new StartupFailure(ExitCodes.Configuration,
                    $"a setting is not valid ({Unsentence(options.Message)}): correct it in appsettings.json, the environment or the command line");
            case PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName }:
            {
                var (host, port, database, user) = Postgres(configuration);
                return new StartupFailure(ExitCodes.DatabaseMissing,
                    $"the PostgreSQL database \"{database}\" does not exist on {host}:{port}: create it with `createdb -h {host} -p {port} -U {user} {database}` " +
                    $"(or, as the postgres user, `createdb -O {user} {database}`) and start again");
            }
            case PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } login:
            {
                var (host, port, _, user) = Postgres(configuration);
                return new StartupFailure(ExitCodes.DatabaseUnreachable,
                    $"the PostgreSQL server at {host}:{port} refused the login of \"{user}\" ({Unsentence(login.MessageText)}): correct Username and Password in ConnectionStrings:OpenData, or create the role");
            }
            case NpgsqlException when e.InnerException is SocketException or TimeoutException:
            {
                var (host, port, _, _) = Postgres(configuration);
                var reason = e.InnerException is SocketException socket ? SocketReason(socket) : "timed out";
                return new StartupFailure(ExitCodes.DatabaseUnreachable,
                    $"cannot reach the PostgreSQL server at {host}:{port} ({reason}): start it (on Debian, as root: `pg_ctlcluster 15 main start`) or correct Host and Port in ConnectionStrings:OpenData");
            }
            case IOException when e.InnerException is AddressInUseException:
                return new StartupFailure(ExitCodes.AddressUnavailable,
                    $"another program already listens on {Address(e)}: stop it, or start this host on a free port with --urls http://127.0.0.1:5081");
            case IOException when e.InnerException is SocketException { SocketErrorCode: SocketError.AccessDenied }:
                return new StartupFailure(ExitCodes.AddressUnavailable,
                    $"this user may not listen on {Address(e)} (ports below 1024 need privileges): choose a port above 1024 with --urls, and put a reverse proxy in front");
            case IOException when e.InnerException is SocketException { SocketErrorCode: SocketError.AddressNotAvailable }:
                return new StartupFailure(ExitCodes.AddressUnavailable,
                    $"{Address(e)} is not an address of this machine: choose one of its own with --urls (for example http://0.0.0.0:5080 for every interface)");
            case InvalidOperationException when ConvertFailure().Match(e.Message) is { Success: true } convert:
                return new StartupFailure(ExitCodes.Configuration,
                    $"the setting {convert.Groups["key"].Value} = '{configuration?[convert.Groups["key"].Value]}' is not a valid {Plain(convert.Groups["type"].Value)}: correct it in appsettings.json, the environment or the command line");
            case InvalidOperationException when e.Message.Contains("ConnectionStrings__OpenData", StringComparison.Ordinal):
                return new StartupFailure(ExitCodes.Configuration, Unsentence(e.Message));
            default:
                return null;
        }
    }

    private static (string Host, int Port, string Database, string User) Postgres(IConfiguration? configuration)
    {
        var text = configuration?["OpenData:Database:ConnectionString"] is { Length: > 0 } own ? own : configuration?.GetConnectionString("OpenData");
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            return (builder.Host ?? "localhost", builder.Port, builder.Database ?? builder.Username ?? "postgres", builder.Username ?? Environment.UserName);
        }
        catch (ArgumentException)
        {
            return ("localhost", 5432, "opendata", "opendata");
        }
    }

    private static string SocketReason(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused: nothing listens there",
        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "no such host",
        SocketError.TimedOut => "timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route to the host",
        _ => socket.SocketErrorCode.ToString(),
    };

    private static string Address(Exception e) => BindAddress().Match(e.Message) is { Success: true } m ? m.Groups["address"].Value : "the configured address";

    private static string Plain(string type) => type.Split('.')[^1] switch
    {
        "DatabaseProvider" => "database provider (sqlite or postgres)",
        "Boolean" => "true or false",
        "Int32" or "Int64" => "whole number",
        "Double" or "Decimal" => "number",
        var other => other,
    };

    // One sentence: a message that ends with a full stop loses it, so what to do can follow.
    private static string Unsentence(string message) => message.Trim().TrimEnd('.');

    [GeneratedRegex("Failed to bind to address (?<address>\\S+?):? address")]
    private static partial Regex BindAddress();

    [GeneratedRegex("Failed to convert configuration value (?:'[^']*' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConvertFailure();
}
