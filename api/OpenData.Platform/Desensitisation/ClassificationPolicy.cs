using OpenData.Platform.Datasets;
using OpenData.Platform.Policies;
using YamlDotNet.RepresentationModel;

namespace OpenData.Platform.Desensitisation;

/// <summary>What a dataset's rows need before they flow: nothing, any token, or an approved grant.</summary>
internal enum RowsNeed
{
    Nothing,
    Token,
    Grant,
}

/// <summary>Who approves an access request, stage by stage.</summary>
internal enum Approver
{
    Owner,
    Platform,
}

/// <summary>One level of <c>classification.yaml</c>.</summary>
internal sealed record ClassificationLevel(Classification Classification, string Code, string Description, RowsNeed RowsNeed, IReadOnlyList<Approver> Approvals);

/// <summary><c>policies/classification.yaml</c>: the levels open (L1), restricted (L2) and sensitive (L3), and what each requires.</summary>
internal sealed class ClassificationPolicy
{
    public const string FileName = "classification.yaml";

    public ClassificationPolicy(IReadOnlyDictionary<Classification, ClassificationLevel> levels) => Levels = levels;

    public IReadOnlyDictionary<Classification, ClassificationLevel> Levels { get; }

    public ClassificationLevel For(Classification classification) => Levels[classification];

    internal static ClassificationPolicy Parse(PolicyDocument doc)
    {
        var levels = new Dictionary<Classification, ClassificationLevel>();
        foreach (var (key, _, value) in doc.Entries(doc.Root, "classification.yaml", "levels"))
        {
            _ = key;
            foreach (var (name, nameNode, levelNode) in doc.Entries(doc.Mapping(value, "levels"), "levels", "open", "restricted", "sensitive"))
            {
                var classification = Enum.Parse<Classification>(name, ignoreCase: true);
                var level = doc.Mapping(levelNode, name);
                string? code = null;
                var description = "";
                RowsNeed? needs = null;
                var approvals = new List<Approver>();
                YamlNode? approvalsNode = null;
                foreach (var (field, _, fieldNode) in doc.Entries(level, name, "code", "description", "rowsNeed", "approvals"))
                {
                    switch (field)
                    {
                        case "code":
                            code = doc.Text(fieldNode, name + ".code");
                            break;
                        case "description":
                            description = doc.Text(fieldNode, name + ".description");
                            break;
                        case "rowsNeed":
                            needs = doc.Text(fieldNode, name + ".rowsNeed") switch
                            {
                                "nothing" => RowsNeed.Nothing,
                                "token" => RowsNeed.Token,
                                "grant" => RowsNeed.Grant,
                                var other => throw doc.Error(fieldNode, $"{name}.rowsNeed: unknown '{other}'; use nothing, token or grant"),
                            };
                            break;
                        default:
                            approvalsNode = fieldNode;
                            foreach (var (approver, node) in doc.TextList(fieldNode, name + ".approvals"))
                            {
                                var stage = approver switch
                                {
                                    "owner" => Approver.Owner,
                                    "platform" => Approver.Platform,
                                    _ => throw doc.Error(node, $"{name}.approvals: unknown approver '{approver}'; use owner and/or platform"),
                                };
                                if (approvals.Contains(stage))
                                {
                                    throw doc.Error(node, $"{name}.approvals: '{approver}' is named twice");
                                }
                                approvals.Add(stage);
                            }
                            break;
                    }
                }
                if (code is null || needs is null)
                {
                    throw doc.Error(level, $"level '{name}' needs 'code' (such as L2) and 'rowsNeed' (nothing, token or grant)");
                }
                if (needs == RowsNeed.Grant && approvals.Count == 0)
                {
                    throw doc.Error(level, $"level '{name}': rows need a grant, so 'approvals' must name who approves (owner, then optionally platform)");
                }
                if (needs != RowsNeed.Grant && approvals.Count > 0)
                {
                    throw doc.Error(approvalsNode!, $"level '{name}': 'approvals' only applies when rowsNeed is grant");
                }
                if (approvals.Count > 0 && approvals[0] != Approver.Owner)
                {
                    throw doc.Error(approvalsNode!, $"level '{name}': the dataset's owner approves first, so 'approvals' starts with owner");
                }
                _ = nameNode;
                levels[classification] = new ClassificationLevel(classification, code, description, needs.Value, approvals);
            }
        }
        foreach (var classification in Enum.GetValues<Classification>())
        {
            if (!levels.ContainsKey(classification))
            {
                throw doc.Error(doc.Root, $"levels: '{classification.ToString().ToLowerInvariant()}' is missing; every level (open, restricted, sensitive) must say what it requires");
            }
        }
        return new ClassificationPolicy(levels);
    }
}
