using System.Globalization;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Ingestion;
using OpenData.Platform.Seed;
using OpenData.Platform.Storage;
using Spectre.Console;

namespace OpenData.Api.Cli;

/// <summary>
/// The operator command line on the same binary: <c>migrate</c>, <c>seed</c>, <c>import --dataset ID --file F [--charset gb18030]</c>,
/// <c>rotate-keys</c>, <c>backup DIR [--force]</c>, <c>restore DIR [--force] [--policies]</c>.
/// </summary>
internal sealed class OperatorCommand
{
    private OperatorCommand(string name, Dictionary<string, string> options, string[] hostArgs)
    {
        Name = name;
        Options = options;
        HostArgs = hostArgs;
    }

    public string Name { get; }

    public Dictionary<string, string> Options { get; }

    /// <summary>The arguments left for the host's configuration (for example --ConnectionStrings:OpenData=…).</summary>
    public string[] HostArgs { get; }

    public static OperatorCommand? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("migrate" or "seed" or "import" or "rotate-keys" or "backup" or "restore" or "help" or "--help"))
        {
            return null;
        }
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] is "--dataset" or "--file" or "--charset" && i + 1 < args.Length)
            {
                options[args[i][2..]] = args[++i];
            }
            else if (args[i] is "--force" or "--policies")
            {
                options[args[i][2..]] = "true";
            }
            else if (i == 1 && args[0] is "backup" or "restore" && !args[i].StartsWith('-'))
            {
                options["directory"] = args[i];
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        return new OperatorCommand(args[0], options, rest.ToArray());
    }

    public async Task<int> RunAsync(IServiceProvider services)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            switch (Name)
            {
                case "migrate":
                {
                    var applied = await services.GetRequiredService<Migrator>().MigrateAsync(cancel.Token);
                    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[green]migrated[/] {services.GetRequiredService<Database>().Description}: {applied} migration(s) applied");
                    return 0;
                }
                case "seed":
                {
                    await services.GetRequiredService<Migrator>().MigrateAsync(cancel.Token);
                    var loaded = await services.GetRequiredService<Seeder>().SeedAsync(cancel.Token);
                    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[green]seeded[/]: {loaded} dataset(s) loaded; existing ones left as they were");
                    return 0;
                }
                case "import":
                    return await ImportAsync(services, cancel.Token);
                case "rotate-keys":
                {
                    await services.GetRequiredService<Migrator>().MigrateAsync(cancel.Token);
                    var keys = services.GetRequiredService<OpenData.Platform.Identity.KeyRing>();
                    keys.EnsureLoaded();
                    var kid = keys.Rotate();
                    var cursorKey = keys.RotateCursorKey();
                    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                        $"[green]rotated[/]: new signing key {kid}; each node signs with it after its next start, and older keys keep validating the tokens they signed");
                    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                        $"[green]rotated[/]: new cursor key {cursorKey}; each node seals cursors with it within a minute, and older keys keep opening the cursors they sealed");
                    return 0;
                }
                case "backup" or "restore" when !Options.ContainsKey("directory"):
                    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{Name} needs the backup folder: {Name} DIR[/]");
                    PrintUsage();
                    return 2;
                case "backup":
                    return await new StoreBackup(services).RunAsync(Options["directory"], Options.ContainsKey("force"), cancel.Token);
                case "restore":
                    return await new StoreRestore(services).RunAsync(Options["directory"], Options.ContainsKey("force"), Options.ContainsKey("policies"), cancel.Token);
                default:
                    PrintUsage();
                    return Name == "help" || Name == "--help" ? 0 : 2;
            }
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]cancelled[/]: nothing was published");
            return 130;
        }
    }

    private async Task<int> ImportAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!Options.TryGetValue("dataset", out var datasetId) || !Options.TryGetValue("file", out var file))
        {
            AnsiConsole.MarkupLine("[red]import needs --dataset ID and --file PATH[/]");
            PrintUsage();
            return 2;
        }
        if (!File.Exists(file))
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]no file at {file}[/]");
            return 2;
        }
        if (!Charsets.TryResolve(Options.GetValueOrDefault("charset"), out var charset, out var encoding))
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]charset '{Options["charset"]}' is not supported: use utf-8 or gb18030[/]");
            return 2;
        }
        await services.GetRequiredService<Migrator>().MigrateAsync(cancellationToken);
        var dataset = await services.GetRequiredService<DatasetDirectory>().FindAsync(datasetId, cancellationToken);
        if (dataset is null)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]no dataset '{datasetId}': create it first (POST /v1/datasets)[/]");
            return 2;
        }
        var loader = services.GetRequiredService<CsvLoader>();
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var progress = new IngestionProgress { BytesTotal = stream.Length };
        var started = TimeProvider.System.GetTimestamp();
        var load = Task.Factory.StartNew(() => loader.Load(dataset, stream, encoding, progress, cancellationToken),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"{dataset.Id} ← {Path.GetFileName(file)} ({charset})", maxValue: Math.Max(1, progress.BytesTotal));
                    while (!load.IsCompleted)
                    {
                        task.Value = progress.BytesRead;
                        task.Description = $"{dataset.Id}: {progress.RowsRead:N0} rows";
                        await Task.WhenAny(load, Task.Delay(200, cancellationToken));
                    }
                    task.Value = task.MaxValue;
                });
        }
        else
        {
            var lastPercent = -10;
            while (!load.IsCompleted)
            {
                await Task.WhenAny(load, Task.Delay(1000, cancellationToken));
                var percent = (int)(100 * progress.BytesRead / Math.Max(1, progress.BytesTotal));
                if (percent >= lastPercent + 10)
                {
                    Console.WriteLine($"{percent,3}%  {progress.RowsRead:N0} rows");
                    lastPercent = percent;
                }
            }
        }
        var result = await load;
        var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
        if (!result.Succeeded)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]failed[/]: {result.Message}");
            foreach (var error in result.Errors)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  row {error.Row} (line {error.Line}) {error.Column}: {error.Message}");
            }
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"{result.RowsRead:N0} rows read, {result.RowsRejected:N0} rejected; the dataset still serves its previous version");
            return 1;
        }
        var table = new Table().AddColumns("dataset", "version", "rows", "seconds", "rows/s");
        table.AddRow(dataset.Id, result.Version!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), result.RowsRead.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            seconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture), (result.RowsRead / Math.Max(seconds, 0.001)).ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        return 0;
    }

    private static void PrintUsage()
    {
        Console.WriteLine("""
            usage: OpenData.Api [command] [options]
              (no command)                          serve the API (http://127.0.0.1:5080 unless --urls says otherwise)
              migrate                               create or upgrade the database schema
              seed                                  load the seed catalogue and demo datasets where missing
              import --dataset ID --file F.csv [--charset gb18030]
                                                    load a CSV as a new version of a dataset, with a progress bar
              rotate-keys                           add a new token signing key and cursor key (older keys keep validating)
              backup DIR [--force]                  copy the store while it serves (SQLite online backup, or pg_dump -Fc), with the
                                                    KEK file, Data Protection keys, audit checkpoints, policies and a manifest;
                                                    --force replaces an earlier backup in DIR
              restore DIR [--force] [--policies]    check DIR against its manifest, then put the store and its keys back (hosts
                                                    stopped); --force replaces an existing store (kept aside as *.before-restore-*),
                                                    --policies also writes the backup's policies into the policies folder
            configuration: OpenData__Database__Provider=sqlite|postgres, ConnectionStrings__OpenData=…
            """);
    }
}
