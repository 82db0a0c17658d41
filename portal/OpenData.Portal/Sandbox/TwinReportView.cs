using System.Globalization;
using System.Text.Json;

namespace OpenData.Portal.Sandbox;

/// <summary>
/// A twin's fidelity and privacy report as its owner's page shows it, read from the stored JSON without knowing its exact shape:
/// <c>passed</c>, <c>failures</c> and <c>warnings</c>; every other scalar as a fact; <c>columns</c> and <c>pairs</c> (arrays of
/// objects) as tables; <c>privacy</c> as its verdict, its arrays as tables and its objects (one check each) as lists of measures.
/// A field the page has no words for is shown by its name.
/// </summary>
internal sealed class TwinReportView
{
    public bool? Passed { get; private init; }

    public IReadOnlyList<string> Failures { get; private init; } = [];

    public IReadOnlyList<string> Warnings { get; private init; } = [];

    /// <summary>The report's other scalars (its seed, rows real and twin…), by field name.</summary>
    public IReadOnlyList<(string Field, JsonElement Value)> Facts { get; private init; } = [];

    public ReportTable? Columns { get; private init; }

    public ReportTable? Pairs { get; private init; }

    public bool? PrivacyPassed { get; private init; }

    /// <summary>The privacy checks' lists (overlap per high-cardinality column…).</summary>
    public IReadOnlyList<ReportTable> PrivacyTables { get; private init; } = [];

    /// <summary>The privacy checks measured as a whole (copies, distance to closest record…): each check's measures.</summary>
    public IReadOnlyList<(string Check, IReadOnlyList<(string Field, JsonElement Value)> Measures)> PrivacyChecks { get; private init; } = [];

    public static TwinReportView Of(JsonElement report)
    {
        if (report.ValueKind != JsonValueKind.Object)
        {
            return new TwinReportView();
        }
        var facts = new List<(string, JsonElement)>();
        foreach (var property in report.EnumerateObject())
        {
            if (property.Name is not ("passed" or "failures" or "warnings" or "columns" or "pairs" or "privacy") && IsScalar(property.Value))
            {
                facts.Add((property.Name, property.Value));
            }
        }
        var tables = new List<ReportTable>();
        var checks = new List<(string, IReadOnlyList<(string, JsonElement)>)>();
        bool? privacyPassed = null;
        if (report.TryGetProperty("privacy", out var privacy) && privacy.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in privacy.EnumerateObject())
            {
                if (property.Name == "passed")
                {
                    privacyPassed = Flag(property.Value);
                }
                else if (ReportTable.Of(property.Name, property.Value) is { } table)
                {
                    tables.Add(table);
                }
                else if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    checks.Add((property.Name, property.Value.EnumerateObject().Where(p => IsScalar(p.Value)).Select(p => (p.Name, p.Value)).ToList()));
                }
            }
        }
        return new TwinReportView
        {
            Passed = report.TryGetProperty("passed", out var passed) ? Flag(passed) : null,
            Failures = Strings(report, "failures"),
            Warnings = Strings(report, "warnings"),
            Facts = facts,
            Columns = report.TryGetProperty("columns", out var columns) ? ReportTable.Of("columns", columns) : null,
            Pairs = report.TryGetProperty("pairs", out var pairs) ? ReportTable.Of("pairs", pairs) : null,
            PrivacyPassed = privacyPassed,
            PrivacyTables = tables,
            PrivacyChecks = checks,
        };
    }

    /// <summary>A value as the page shows it: numbers by culture (fractions to three places), yes/no for flags, a dash for null.</summary>
    public static string Cell(JsonElement value, string yes, string no) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var whole) => whole.ToString("N0", CultureInfo.CurrentCulture),
        JsonValueKind.Number => value.GetDouble().ToString("0.###", CultureInfo.CurrentCulture),
        JsonValueKind.True => yes,
        JsonValueKind.False => no,
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(v => Cell(v, yes, no))),
        JsonValueKind.Object => value.GetRawText(),
        _ => "—",
    };

    private static bool IsScalar(JsonElement value) => value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array);

    private static bool? Flag(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static List<string> Strings(JsonElement report, string name) =>
        report.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.GetRawText()).ToList()
            : [];
}
