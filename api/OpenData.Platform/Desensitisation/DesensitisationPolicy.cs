using OpenData.Platform.Datasets;
using OpenData.Platform.Policies;
using YamlDotNet.RepresentationModel;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// <c>policies/desensitisation.yaml</c>: for each column tag, the column types it fits, the transform at each access level and
/// whether it is a quasi-identifier; the linkage domains in which tokens may match across datasets; and how ingestion profiles
/// untagged columns for personal data.
/// </summary>
internal sealed class DesensitisationPolicy
{
    public const string FileName = "desensitisation.yaml";

    private static readonly string[] TransformKeys = ["transform", "keepFirst", "keepLast", "stars", "style", "to", "width", "size", "value", "tokenBytes"];

    private readonly Dictionary<string, LinkageDomain> _domainOfTag;

    public DesensitisationPolicy(IReadOnlyDictionary<string, TagRule> tags, double suggestShare, int profileRows, IReadOnlyDictionary<string, LinkageDomain>? linkage = null)
    {
        Tags = tags;
        SuggestShare = suggestShare;
        ProfileRows = profileRows;
        Linkage = linkage ?? new Dictionary<string, LinkageDomain>(StringComparer.Ordinal);
        _domainOfTag = Linkage.Values.SelectMany(d => d.Tags.Select(t => (t, d))).ToDictionary(p => p.t, p => p.d, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, TagRule> Tags { get; }

    /// <summary>The linkage domains by name; a tag belongs to one domain at most.</summary>
    public IReadOnlyDictionary<string, LinkageDomain> Linkage { get; }

    /// <summary>The linkage domain <paramref name="tag"/> belongs to, if any.</summary>
    public LinkageDomain? DomainOf(string? tag) => tag is not null && _domainOfTag.TryGetValue(tag, out var domain) ? domain : null;

    /// <summary>A tag is suggested for an untagged column when at least this share of its non-empty sampled cells look like it.</summary>
    public double SuggestShare { get; }

    /// <summary>How many rows of each upload are profiled.</summary>
    public int ProfileRows { get; }

    public TagRule? Find(string? tag) => tag is not null && Tags.TryGetValue(tag, out var rule) ? rule : null;

    internal static DesensitisationPolicy Parse(PolicyDocument doc)
    {
        var tags = new Dictionary<string, TagRule>(StringComparer.Ordinal);
        double share = 0.3;
        var rows = 10_000;
        YamlNode? linkageNode = null;
        foreach (var (key, keyNode, value) in doc.Entries(doc.Root, "desensitisation.yaml", "tags", "linkage", "profiling"))
        {
            if (key == "linkage")
            {
                // Read once every tag is known: the file may name domains before tags.
                linkageNode = value;
                continue;
            }
            if (key == "profiling")
            {
                var profiling = doc.Mapping(value, "profiling");
                foreach (var (pkey, _, pvalue) in doc.Entries(profiling, "profiling", "suggestShare", "rows"))
                {
                    if (pkey == "suggestShare")
                    {
                        share = (double)doc.Number(pvalue, "profiling.suggestShare", 0m, 1m);
                    }
                    else
                    {
                        rows = doc.Integer(pvalue, "profiling.rows", 1, 10_000_000);
                    }
                }
                continue;
            }
            var mapping = doc.Mapping(value, "tags");
            foreach (var (tag, tagNode, ruleNode) in doc.Entries(mapping, "tags"))
            {
                if (!Datasets.ColumnTags.IsShape(tag))
                {
                    throw doc.Error(tagNode, $"tag '{tag}' must be dotted lower-case words such as pii.phone");
                }
                tags.Add(tag, ParseRule(doc, tag, doc.Mapping(ruleNode, $"tag '{tag}'")));
            }
            if (tags.Count == 0)
            {
                throw doc.Error(value, "tags: at least one tag is needed");
            }
        }
        if (PolicyDocument.Find(doc.Root, "tags") is null)
        {
            throw doc.Error(doc.Root, "'tags' is missing: list each column tag with its open, granted and sandbox transforms");
        }
        var linkage = linkageNode is null ? null : ParseLinkage(doc, doc.Mapping(linkageNode, "linkage"), tags);
        return new DesensitisationPolicy(tags, share, rows, linkage);
    }

    private static Dictionary<string, LinkageDomain> ParseLinkage(PolicyDocument doc, YamlMappingNode linkage, Dictionary<string, TagRule> tags)
    {
        var domains = new Dictionary<string, LinkageDomain>(StringComparer.Ordinal);
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, nameNode, domainNode) in doc.Entries(linkage, "linkage"))
        {
            if (!Datasets.ColumnTags.IsShape(name))
            {
                throw doc.Error(nameNode, $"linkage domain '{name}' must be lower-case words such as person");
            }
            var map = doc.Mapping(domainNode, $"linkage domain '{name}'");
            var description = "";
            HashSet<string>? members = null;
            foreach (var (key, _, value) in doc.Entries(map, $"linkage domain '{name}'", "description", "tags"))
            {
                if (key == "description")
                {
                    description = doc.Text(value, $"linkage.{name}.description");
                    continue;
                }
                members = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (tag, tagNode) in doc.TextList(value, $"linkage.{name}.tags"))
                {
                    if (!tags.TryGetValue(tag, out var rule))
                    {
                        throw doc.Error(tagNode, $"linkage.{name}.tags: unknown tag '{tag}'; the tags are {string.Join(", ", tags.Keys)}");
                    }
                    if (rule.Granted.Kind != TransformKind.Pseudonymise)
                    {
                        throw doc.Error(tagNode, $"linkage.{name}.tags: '{tag}' is not pseudonymised at the granted level, and linkage only decides which key makes tokens");
                    }
                    if (!members.Add(tag))
                    {
                        throw doc.Error(tagNode, $"linkage.{name}.tags: '{tag}' is named twice");
                    }
                    if (!owner.TryAdd(tag, name))
                    {
                        throw doc.Error(tagNode, $"linkage.{name}.tags: '{tag}' is in linkage domain '{owner[tag]}' already; a tag belongs to one domain at most");
                    }
                }
                if (members.Count == 0)
                {
                    throw doc.Error(value, $"linkage.{name}.tags: name at least one tag whose tokens may match across datasets");
                }
            }
            if (members is null)
            {
                throw doc.Error(map, $"linkage domain '{name}': 'tags' is missing: list the tags whose tokens may match across datasets");
            }
            domains.Add(name, new LinkageDomain(name, description, members));
        }
        return domains;
    }

    private static TagRule ParseRule(PolicyDocument doc, string tag, YamlMappingNode rule)
    {
        string description = "";
        HashSet<ColumnType>? types = null;
        var quasiIdentifier = false;
        var outboundCheck = false;
        var levels = new Dictionary<string, (TransformSpec Spec, YamlNode Node)>(StringComparer.Ordinal);
        foreach (var (key, _, value) in doc.Entries(rule, $"tag '{tag}'", "description", "types", "quasiIdentifier", "outboundCheck", "open", "granted", "sandbox"))
        {
            switch (key)
            {
                case "description":
                    description = doc.Text(value, $"{tag}.description");
                    break;
                case "types":
                    types = [];
                    foreach (var (name, node) in doc.TextList(value, $"{tag}.types"))
                    {
                        if (!ColumnTypes.TryParse(name, out var type))
                        {
                            throw doc.Error(node, $"{tag}.types: unknown column type '{name}'; use string, integer, decimal, boolean, date or datetime");
                        }
                        types.Add(type.Value);
                    }
                    if (types.Count == 0)
                    {
                        throw doc.Error(value, $"{tag}.types: name at least one column type");
                    }
                    break;
                case "quasiIdentifier":
                    quasiIdentifier = doc.Boolean(value, $"{tag}.quasiIdentifier");
                    break;
                case "outboundCheck":
                    outboundCheck = doc.Boolean(value, $"{tag}.outboundCheck");
                    break;
                default:
                    levels[key] = (ParseTransform(doc, $"{tag}.{key}", value), value);
                    break;
            }
        }
        types ??= [ColumnType.String];
        foreach (var level in new[] { "open", "granted", "sandbox" })
        {
            if (!levels.TryGetValue(level, out var found))
            {
                throw doc.Error(rule, $"tag '{tag}': '{level}' is missing; every tag says what each access level (open, granted, sandbox) sees");
            }
            Check(doc, found.Node, $"{tag}.{level}", found.Spec, types);
        }
        return new TagRule(tag, description, types, levels["open"].Spec, levels["granted"].Spec, levels["sandbox"].Spec) { QuasiIdentifier = quasiIdentifier, OutboundCheck = outboundCheck };
    }

    /// <summary>A transform is either a bare word (<c>clear</c>) or a mapping (<c>{transform: mask, keepFirst: 3, keepLast: 4}</c>).</summary>
    private static TransformSpec ParseTransform(PolicyDocument doc, string what, YamlNode node)
    {
        if (node is YamlScalarNode)
        {
            var word = doc.Text(node, what);
            var kind = Kind(doc, node, what, word);
            if (kind is TransformKind.Mask or TransformKind.Generalise or TransformKind.Constant)
            {
                throw doc.Error(node, $"{what}: '{word}' needs parameters; write it as a mapping such as {{transform: {word}, …}}");
            }
            return new TransformSpec(kind);
        }
        var map = doc.Mapping(node, what);
        var transform = doc.Require(map, "transform", what);
        var spec = new TransformSpec(Kind(doc, transform, what, doc.Text(transform, what + ".transform")));
        var allowed = spec.Kind switch
        {
            TransformKind.Mask => new[] { "transform", "keepFirst", "keepLast", "stars", "style" },
            TransformKind.Generalise => ["transform", "to", "width", "size"],
            TransformKind.Constant => ["transform", "value"],
            TransformKind.Pseudonymise => ["transform", "tokenBytes"],
            _ => ["transform"],
        };
        foreach (var (key, keyNode, value) in doc.Entries(map, what, TransformKeys))
        {
            if (!allowed.Contains(key))
            {
                throw doc.Error(keyNode, $"{what}: '{key}' does not apply to {spec.Kind.ToString().ToLowerInvariant()}; it takes {string.Join(", ", allowed.Skip(1).DefaultIfEmpty("no parameters"))}");
            }
            spec = key switch
            {
                "keepFirst" => spec with { KeepFirst = doc.Integer(value, what + ".keepFirst", 0, 32) },
                "keepLast" => spec with { KeepLast = doc.Integer(value, what + ".keepLast", 0, 32) },
                "stars" => spec with { Stars = doc.Integer(value, what + ".stars", 1, 32) },
                "style" => doc.Text(value, what + ".style") == "email"
                    ? spec with { Email = true }
                    : throw doc.Error(value, $"{what}.style: the only style is 'email'"),
                "to" => spec with { To = To(doc, value, what) },
                "width" => spec with { Step = doc.Integer(value, what + ".width", 1, 1_000_000_000) },
                "size" => spec with { Step = doc.Number(value, what + ".size", 0m, 10m) },
                "value" => spec with { Value = doc.Text(value, what + ".value") },
                "tokenBytes" => spec with { TokenBytes = doc.Integer(value, what + ".tokenBytes", Transforms.Pseudonymiser.MinCapacity, Transforms.Pseudonymiser.MaxCapacity) },
                _ => spec,
            };
        }
        if (spec.Kind == TransformKind.Generalise)
        {
            var to = PolicyDocument.Find(map, "to") ?? throw doc.Error(map, $"{what}: generalise needs 'to': year, month, band, grid or district");
            if (spec.To == GeneraliseTo.Band && PolicyDocument.Find(map, "width") is null)
            {
                throw doc.Error(to, $"{what}: 'to: band' needs 'width', the size of each band (e.g. width: 10)");
            }
            if (spec.To == GeneraliseTo.Grid && PolicyDocument.Find(map, "size") is null)
            {
                throw doc.Error(to, $"{what}: 'to: grid' needs 'size' in degrees (e.g. size: 0.01, about 1 km)");
            }
            if (spec.To is not GeneraliseTo.Band && PolicyDocument.Find(map, "width") is { } width)
            {
                throw doc.Error(width, $"{what}: 'width' applies to 'to: band' only");
            }
            if (spec.To is not GeneraliseTo.Grid && PolicyDocument.Find(map, "size") is { } size)
            {
                throw doc.Error(size, $"{what}: 'size' applies to 'to: grid' only");
            }
        }
        if (spec.Kind == TransformKind.Constant && spec.Value is null)
        {
            throw doc.Error(map, $"{what}: constant needs 'value', the text shown instead");
        }
        if (spec.Email && PolicyDocument.Find(map, "stars") is { } stars)
        {
            throw doc.Error(stars, $"{what}: 'stars' does not apply to style: email, whose shape is fixed (w***@example.org)");
        }
        if (spec.Kind == TransformKind.Mask && PolicyDocument.Find(map, "keepFirst") is null && PolicyDocument.Find(map, "keepLast") is null && !spec.Email)
        {
            throw doc.Error(map, $"{what}: mask needs keepFirst and/or keepLast (how many characters stay visible), or style: email");
        }
        return spec;
    }

    /// <summary>Refuses a transform that does not fit the tag's column types, pointing at the transform.</summary>
    private static void Check(PolicyDocument doc, YamlNode node, string what, TransformSpec spec, HashSet<ColumnType> types)
    {
        if (spec.Kind == TransformKind.Pseudonymise && types.Any(t => t != ColumnType.String))
        {
            throw doc.Error(node, $"{what}: pseudonymise fits text columns only (a token is text), so the tag's types must be [string]");
        }
        if (spec.Kind != TransformKind.Generalise)
        {
            return;
        }
        var fits = spec.To switch
        {
            GeneraliseTo.Year or GeneraliseTo.Month => types.All(t => t is ColumnType.Date or ColumnType.Datetime or ColumnType.String),
            GeneraliseTo.Band => types.All(t => t is ColumnType.Integer or ColumnType.Decimal or ColumnType.String),
            _ => types.All(t => t == ColumnType.String),
        };
        if (!fits)
        {
            throw doc.Error(node, $"{what}: generalise to {spec.To.ToString().ToLowerInvariant()} does not fit the tag's types ({string.Join(", ", types.Select(ColumnTypes.Name))})");
        }
    }

    private static TransformKind Kind(PolicyDocument doc, YamlNode node, string what, string word) => word switch
    {
        "clear" => TransformKind.Clear,
        "hidden" or "drop" => TransformKind.Hidden,
        "mask" => TransformKind.Mask,
        "generalise" or "generalize" => TransformKind.Generalise,
        "pseudonymise" or "pseudonymize" => TransformKind.Pseudonymise,
        "constant" => TransformKind.Constant,
        "synthetic" => TransformKind.Synthetic,
        _ => throw doc.Error(node, $"{what}: unknown transform '{word}'; use clear, hidden, mask, generalise, pseudonymise, constant or synthetic"),
    };

    private static GeneraliseTo To(PolicyDocument doc, YamlNode node, string what) => doc.Text(node, what + ".to") switch
    {
        "year" => GeneraliseTo.Year,
        "month" => GeneraliseTo.Month,
        "band" => GeneraliseTo.Band,
        "grid" => GeneraliseTo.Grid,
        "district" => GeneraliseTo.District,
        var other => throw doc.Error(node, $"{what}.to: unknown '{other}'; use year, month, band, grid or district"),
    };
}
