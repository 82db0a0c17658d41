using System.Globalization;

namespace OpenData.Bench;

/// <summary>Command-line settings of the bench; every default keeps a full run around seven minutes on two cores.</summary>
internal sealed record BenchOptions
{
    public const string DefaultPostgres = "Host=127.0.0.1;Username=opendata;Password=opendata;Database=postgres";

    /// <summary>The value of <c>--only</c> that runs the desensitised-page scenario alone.</summary>
    public const string Desensitised = "desensitised";

    /// <summary>The value of <c>--only</c> that runs the quota-admission scenario alone.</summary>
    public const string Quotas = "quotas";

    /// <summary>The value of <c>--only</c> that runs the GraphQL-vs-REST scenario alone.</summary>
    public const string GraphQL = "graphql";

    /// <summary>Only scenario 9: restricted pages read by a grantee vs by their owner.</summary>
    public const string Granted = "granted";

    /// <summary>Only scenario 10: the portal's pages against /healthz.</summary>
    public const string Portal = "portal";

    /// <summary>Only scenario 11: the villages' synthetic twin against reading the same rows (loads the villages first).</summary>
    public const string Twins = "twins";

    /// <summary>Only scenario 12: an aggregate over the villages grouped by two columns vs the same GROUP BY behind a bare route (loads the villages first).</summary>
    public const string Aggregates = "aggregates";

    /// <summary>Only scenario 13: a sparse filter on the villages with areaCode indexed vs without (loads the villages, then an indexed copy).</summary>
    public const string Indexes = "indexes";

    /// <summary>Only scenario 14: a records page with metrics and tracing on (and scraped) vs a host with monitoring off.</summary>
    public const string Telemetry = "telemetry";

    /// <summary>Only scenario 15: a tag on one node seen on another through LISTEN/NOTIFY, against a bare NOTIFY round trip (PostgreSQL only).</summary>
    public const string Notify = "notify";

    /// <summary>Only scenario 16: import and CSV export of the villages on SQLite against the sqlite3 CLI (SQLite only; needs --sqlite).</summary>
    public const string Embedded = "embedded";

    /// <summary>Only the soak: the mixed workload at 80 % of capacity for <see cref="SoakMinutes"/>.</summary>
    public const string Soak = "soak";

    public int SoakMinutes { get; init; } = 10;

    /// <summary>Only the load test at scale: three nodes behind a reverse proxy against one, the mixed workload (loads the villages first).</summary>
    public const string Scale = "scale";

    /// <summary>The scale test's three-node workload time (<c>--duration</c> with <c>--only scale</c>; the one-node baseline gets half as long).</summary>
    public TimeSpan ScaleDuration { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Concurrent workers of the scale test (<c>--workers</c> with <c>--only scale</c>).</summary>
    public int ScaleWorkers { get; init; } = 24;

    /// <summary>Admin connection string: the bench creates and drops its own database through it.</summary>
    public required string Postgres { get; init; }

    /// <summary>Also run the read scenarios on SQLite.</summary>
    public bool Sqlite { get; init; }

    public int Workers { get; init; } = 8;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Measured time per side of a comparison, split into <see cref="Rounds"/> alternating slices.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(8);

    public int Rounds { get; init; } = 2;

    public int ExportRepeats { get; init; } = 3;

    /// <summary>The cursor walk's depth: the page compared with page 1.</summary>
    public int DeepPage { get; init; } = 600;

    public string? Villages { get; init; }

    public bool WriteResults { get; init; } = true;

    /// <summary>Run one scenario alone (<see cref="Desensitised"/>, <see cref="Quotas"/> or <see cref="GraphQL"/>), without the villages; null runs everything.</summary>
    public string? Only { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var env = Environment.GetEnvironmentVariable("OPENDATA_BENCH_POSTGRES");
        var options = new BenchOptions { Postgres = string.IsNullOrWhiteSpace(env) ? DefaultPostgres : env };
        double? duration = null;
        int? workers = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--sqlite" => options with { Sqlite = true },
                "--postgres" => options with { Postgres = Next() },
                "--workers" => options with { Workers = (workers = Positive(Next(), "--workers")).Value },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Seconds(Next(), "--warmup")) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds((duration = Seconds(Next(), "--duration", 3600)).Value) },
                "--rounds" => options with { Rounds = Positive(Next(), "--rounds") },
                "--export-repeats" => options with { ExportRepeats = Positive(Next(), "--export-repeats") },
                "--deep-page" => options with { DeepPage = Positive(Next(), "--deep-page") },
                "--villages" => options with { Villages = Next() },
                "--no-results" => options with { WriteResults = false },
                "--soak-minutes" => options with { SoakMinutes = Positive(Next(), "--soak-minutes") },
                "--only" => options with
                {
                    Only = Next() switch
                    {
                        Desensitised => Desensitised,
                        Quotas => Quotas,
                        GraphQL => GraphQL,
                        Granted => Granted,
                        Soak => Soak,
                        Portal => Portal,
                        Twins => Twins,
                        Aggregates => Aggregates,
                        Indexes => Indexes,
                        Telemetry => Telemetry,
                        Notify => Notify,
                        Scale => Scale,
                        Embedded => Embedded,
                        _ => throw new ArgumentException($"--only takes '{Desensitised}', '{Quotas}', '{GraphQL}', '{Granted}', '{Soak}', '{Portal}', '{Twins}', '{Aggregates}', '{Indexes}', '{Telemetry}', '{Notify}', '{Embedded}' or '{Scale}'"),
                    },
                },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }
        if (options.Only == Scale)
        {
            // The scale test runs for minutes: --duration and --workers are its own; the other scenarios keep their defaults.
            options = options with
            {
                ScaleDuration = duration is { } d ? TimeSpan.FromSeconds(Math.Max(d, 10)) : options.ScaleDuration,
                ScaleWorkers = workers ?? options.ScaleWorkers,
            };
        }
        else if (duration > 120)
        {
            throw new ArgumentException("--duration must be between 0 and 120 seconds (up to 3600 with --only scale)");
        }
        if (options.Only == Embedded && !options.Sqlite)
        {
            throw new ArgumentException("--only embedded measures SQLite against its CLI: add --sqlite");
        }
        if (options.DeepPage < 2)
        {
            throw new ArgumentException("--deep-page must be at least 2");
        }
        return options;
    }

    private static int Positive(string text, string name) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= 10_000
            ? value
            : throw new ArgumentException($"{name} must be a positive whole number");

    private static double Seconds(string text, string name, double max = 120) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value <= max
            ? value
            : throw new ArgumentException($"{name} must be between 0 and {max} seconds");

    public static void PrintUsage()
    {
        Console.WriteLine("""
            usage: dotnet run -c Release --project bench/OpenData.Bench -- [options]
              --sqlite               also run the read scenarios on SQLite
              --postgres CS          admin connection string (default: env OPENDATA_BENCH_POSTGRES, else
                                     Host=127.0.0.1;Username=opendata;Password=opendata;Database=postgres)
              --workers N            concurrent HTTP workers (8)
              --warmup S             warm-up seconds per side (2)
              --duration S           measured seconds per side, split into rounds (8)
              --rounds N             alternating slices per comparison (2)
              --export-repeats N     exports and COPY TO runs each (3)
              --deep-page N          cursor-walk depth compared with page 1 (600)
              --villages PATH        the 620,573-row villages.csv (default ../shared/data/divisions/villages.csv)
              --only desensitised    run only scenario 6 (a desensitised page of 1,000 vs the owner's page in clear):
                                     no villages file, no bare endpoint; with --sqlite on SQLite too
              --only quotas          run only scenario 7 (records, no filter, on the seeded ningbo-villages: a host with quota
                                     admission and usage metering vs a host without); with --sqlite on SQLite too
              --only graphql         run only scenario 8 (records of the seeded ningbo-villages, pages of 100 and 1,000, unfiltered
                                     and filtered + ordered: POST /graphql vs GET …/records on one host); with --sqlite on SQLite too
              --only twins           run only scenario 11 (the villages' synthetic twin, made by the host's worker, vs a CSV export of the
                                     same rows); loads the villages like a full run
              --only indexes         run only scenario 13 (records where areaCode = '330203' and like '33020%' on a copy of the villages with
                                     areaCode indexed vs the villages without, one host); loads the villages like a full run, then the copy
              --only portal          run only scenario 10 (the portal's home, catalogue and dataset pages vs /healthz, one worker);
                                     with --sqlite on SQLite too
              --only telemetry       run only scenario 14 (records of the seeded ningbo-villages, limit 100: a host with metrics and tracing
                                     on, scraped every second, vs a host with monitoring off); with --sqlite on SQLite too
              --only notify          run only scenario 15 (two hosts on one PostgreSQL: a tag on node A seen on node B through
                                     LISTEN/NOTIFY, caches an hour long, vs a bare NOTIFY round trip); PostgreSQL only
              --only embedded        run only scenario 16 (with --sqlite; SQLite only): import of the villages through the operator CLI vs
                                     sqlite3's .import into a fresh file, and the CSV export through the platform (anonymous) vs
                                     sqlite3 -csv over the same table; best of --export-repeats (at least 3) each; needs sqlite3
              --only scale           the load test at scale: loads the villages, starts three hosts on the one database behind a
                                     YARP reverse proxy (round robin) and drives the mixed workload (catalogue search, cursor
                                     pages, exports, tokens, GraphQL) through it for --duration seconds (600), against one host
                                     behind the same proxy for half as long, in alternating slices; --workers there defaults to 24
              --no-results           print only; leave bench/RESULTS.md alone
            """);
    }
}
