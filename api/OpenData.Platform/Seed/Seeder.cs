using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Ingestion;
using OpenData.Platform.Tenancy;

namespace OpenData.Platform.Seed;

/// <summary>
/// Fills an empty platform with the seed catalogue and rows; running it again changes nothing that is already there. The real
/// open data (the organisations, themes and Ningbo's villages) is always seeded; the generated demonstration datasets, whose
/// rows carry made-up personal data, only in Development or when <c>OpenData:Seed:DemoData</c> (or <c>seed --demo</c>) asks.
/// </summary>
internal sealed class Seeder
{
    /// <summary>Seed the generated demonstration datasets too (<c>true</c>/<c>false</c>); unset, only in Development.</summary>
    public const string DemoDataKey = "OpenData:Seed:DemoData";

    private readonly TenancyStore _tenancy;
    private readonly DatasetDirectory _directory;
    private readonly CsvLoader _loader;
    private readonly TimeProvider _clock;
    private readonly ILogger<Seeder> _logger;
    private readonly Desensitisation.DesensitisationPolicy _policy;
    private readonly CatalogueStore _store;
    private readonly bool _demoData;

    internal Seeder(TenancyStore tenancy, DatasetDirectory directory, CatalogueStore store, CsvLoader loader, TimeProvider clock, Desensitisation.DesensitisationPolicy policy, ILogger<Seeder> logger,
        IHostEnvironment environment, IConfiguration configuration)
    {
        _demoData = configuration.GetValue<bool?>(DemoDataKey) ?? environment.IsDevelopment();
        _store = store;
        _policy = policy;
        _tenancy = tenancy;
        _directory = directory;
        _loader = loader;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>The dataset ids that are generated demonstration data (made-up people), seeded only when asked for.</summary>
    public static IReadOnlyList<string> DemoDatasets { get; } = SeedCatalogue.Datasets.Select(d => d.Dataset.Id).Where(id => id != SeedCatalogue.NingboVillages.Id).ToArray();

    /// <param name="demoData">Seed the demonstration datasets too; null: as configured (<see cref="DemoDataKey"/>, else Development only).</param>
    /// <param name="cancellationToken">Stops the seeding between datasets and rows.</param>
    /// <returns>How many datasets received rows.</returns>
    public async Task<int> SeedAsync(bool? demoData = null, CancellationToken cancellationToken = default)
    {
        var withDemo = demoData ?? _demoData;
        foreach (var o in SeedCatalogue.Organisations)
        {
            await _store.EnsureOrganisationAsync(o, cancellationToken);
            // Every publishing organisation is an owner tenant of the same id.
            await _tenancy.CreateTenantAsync(new TenantRow { Id = o.Id, Name = o.Name, Kind = "owner", Plan = "partner", Limits = "{}", CreatedAt = _clock.GetUtcNow() },
                o.NameEn, cancellationToken);
        }
        foreach (var t in SeedCatalogue.Themes)
        {
            await _store.EnsureThemeAsync(t, cancellationToken);
        }

        var store = _store;
        var themes = SeedCatalogue.Themes.Select(t => t.Id).ToList();
        var loaded = 0;
        foreach (var (definition, owner) in SeedCatalogue.Datasets.Where(d => withDemo || !DemoDatasets.Contains(d.Dataset.Id)))
        {
            var valid = DatasetValidator.Validate(definition, themes, _policy, out var errors)
                ?? throw new InvalidOperationException($"seed dataset {definition.Id} is invalid: {string.Join("; ", errors.SelectMany(e => e.Value))}");
            if (!await store.CreateAsync(valid, owner, _clock.GetUtcNow(), cancellationToken))
            {
                await store.AddMissingEnglishAsync(valid, cancellationToken);
            }
            var schema = await _directory.FindAsync(definition.Id, cancellationToken);
            if (schema is null || schema.CurrentVersion is not null)
            {
                continue;
            }
            await using var rows = Rows(definition.Id);
            var result = await Task.Run(() => _loader.Load(schema, rows, new UTF8Encoding(false, true), new IngestionProgress(), cancellationToken), cancellationToken);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"seeding {definition.Id} failed: {result.Message} {string.Join("; ", result.Errors.Select(e => $"row {e.Row} {e.Column}: {e.Message}"))}");
            }
            _logger.LogInformation("Seeded {Dataset} with {Rows} rows", definition.Id, result.RowsRead);
            loaded++;
        }
        return loaded;
    }

    private static Stream Rows(string datasetId) => datasetId switch
    {
        "ningbo-villages" => typeof(Seeder).Assembly.GetManifestResourceStream("seed/ningbo-villages.csv")!,
        "ningbo-air-quality-daily" => new MemoryStream(Encoding.UTF8.GetBytes(DemoData.AirQualityCsv())),
        "hotline-12345-requests" => new MemoryStream(Encoding.UTF8.GetBytes(DemoData.HotlineCsv())),
        "ningbo-food-business-licences" => new MemoryStream(Encoding.UTF8.GetBytes(DemoData.FoodLicencesCsv())),
        _ => throw new ArgumentOutOfRangeException(nameof(datasetId)),
    };
}
