using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Catalogue.GraphQL;
using OpenData.Platform.GraphQL;
using OpenData.Platform.Identity;
using OpenData.Platform.Records.GraphQL;

namespace OpenData.Platform.Records;

/// <summary>Registers the read path: the cursor seal, the planner, the reader, and how GraphQL writes a record row.</summary>
internal static class RecordsModule
{
    public static IServiceCollection AddRecords(this IServiceCollection services)
    {
        services.AddSingleton<CursorSeal>();
        // The sandbox module replaces it with its twins; without it, sandbox callers are told no twin is served.
        services.TryAddSingleton<ITwinTables, NoTwinTables>();
        // The sandbox module replaces it with its magic dataset ids; without it, no id is magic.
        services.TryAddSingleton<IMagicDatasets, NoMagicDatasets>();
        services.AddSingleton<RecordPlanner>();
        services.AddSingleton<RecordReader>();
        services.AddSingleton<ColumnSamples>();
        services.AddSingleton(new GraphQLJsonConverter(new RecordRowJsonConverter()));
        services.AddSingleton<IDatasetFields, RecordsDatasetFields>();
        return services;
    }
}
