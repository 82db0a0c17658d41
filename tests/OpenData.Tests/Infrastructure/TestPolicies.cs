namespace OpenData.Tests.Infrastructure;

/// <summary>
/// Policy folders for test hosts: the shipped classification and desensitisation files (optionally edited) and a plans file.
/// By default every plan is generous, so tests that make many requests are not throttled; quota tests pass their own plans.
/// </summary>
public static class TestPolicies
{
    public const string GenerousPlans = """
        plans:
          anonymous: {ratePerSecond: 100000, burst: 100000, dailyRequests: 100000000, dailyRows: 1000000000, exportRows: 1000000000}
          free: {ratePerSecond: 100000, burst: 100000, dailyRequests: 100000000, dailyRows: 1000000000, exportRows: 1000000000}
          contest: {ratePerSecond: 100000, burst: 100000, dailyRequests: 100000000, dailyRows: 1000000000, exportRows: 1000000000}
          partner: {ratePerSecond: 100000, burst: 100000, dailyRequests: 100000000, dailyRows: 1000000000, exportRows: 1000000000}
          operator: {ratePerSecond: unlimited, burst: unlimited, dailyRequests: unlimited, dailyRows: unlimited, exportRows: unlimited}
        """;

    public static string Shipped => Path.Combine(AppContext.BaseDirectory, "policies");

    public static string Folder(Func<string, string>? editDesensitisation = null, string plans = GenerousPlans)
    {
        var folder = Directory.CreateTempSubdirectory("opendata-policies-").FullName;
        foreach (var file in Directory.GetFiles(Shipped, "*.yaml"))
        {
            var name = Path.GetFileName(file);
            var text = File.ReadAllText(file);
            text = name switch
            {
                "desensitisation.yaml" when editDesensitisation is not null => editDesensitisation(text),
                "plans.yaml" => plans,
                _ => text,
            };
            File.WriteAllText(Path.Combine(folder, name), text);
        }
        return folder;
    }
}
