using OpenData.Platform.Desensitisation;

namespace OpenData.Sandbox.Twins;

/// <summary>
/// The division names the platform embeds (<c>desensitisation/divisions.tsv</c>, county level and up) by code, so a twin's address
/// can be written as the real column's divisions are: 浙江省宁波市海曙区 from 330203.
/// </summary>
internal sealed class DivisionTable
{
    private static readonly Lazy<DivisionTable> Loaded = new(Load);

    private readonly Dictionary<string, string> _names;

    private DivisionTable(Dictionary<string, string> names) => _names = names;

    public static DivisionTable Shared => Loaded.Value;

    /// <summary>The county-level divisions of Ningbo (3302xx), the fallback when a real column names no division often enough.</summary>
    public static readonly string[] NingboCounties = ["330203", "330205", "330206", "330211", "330212", "330213", "330225", "330226", "330281", "330282"];

    public string? Name(string code) => _names.GetValueOrDefault(code);

    /// <summary>浙江省宁波市海曙区 for 330203: the province, the prefecture and the county, each written once.</summary>
    public string Chain(string code)
    {
        var province = Name(code[..2]) ?? "";
        var city = code.Length >= 4 ? Name(code[..4]) : null;
        var county = code.Length >= 6 ? Name(code[..6]) : null;
        var text = province;
        if (city is not null && city != province)
        {
            text += city;
        }
        if (county is not null && county != city)
        {
            text += county;
        }
        return text;
    }

    /// <summary>The code of the deepest division an address starts with (浙江省宁波市海曙区… → 330203), or null.</summary>
    public static string? CodeOf(string address)
    {
        var text = address.AsSpan();
        var at = 0;
        while (at < text.Length && text[at] is ' ' or '\u3000')
        {
            at++;
        }
        return DivisionNames.Shared.ChainEnd(text, at, atStart: true, out var deepest) < 0 ? null : deepest.Code;
    }

    private static DivisionTable Load()
    {
        using var stream = typeof(DivisionNames).Assembly.GetManifestResourceStream("desensitisation/divisions.tsv")
            ?? throw new InvalidOperationException("The embedded division names (desensitisation/divisions.tsv) are missing from the platform's build.");
        using var reader = new StreamReader(stream);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            names[line[..tab]] = line[(tab + 1)..];
        }
        return new DivisionTable(names);
    }
}
