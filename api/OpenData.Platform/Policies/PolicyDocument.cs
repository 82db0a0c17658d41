using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenData.Platform.Policies;

/// <summary>
/// One YAML policy file read as a node tree, so every complaint can name the file, line and column of the node at fault.
/// Unknown keys are refused: a misspelt key would otherwise silently fall back to a default.
/// </summary>
internal sealed class PolicyDocument
{
    private PolicyDocument(string name, YamlMappingNode root)
    {
        Name = name;
        Root = root;
    }

    /// <summary>The file name used in messages.</summary>
    public string Name { get; }

    public YamlMappingNode Root { get; }

    /// <summary>The file as it was read (null for a document parsed from text).</summary>
    public PolicyFile? File { get; private init; }

    public static PolicyDocument Load(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        if (!System.IO.File.Exists(path))
        {
            throw new PolicyException($"{path}: the policy file is missing; every host needs it (see the shipped policies/ folder)");
        }
        // Read once: the checksum shown to operators is of the very bytes parsed.
        var bytes = System.IO.File.ReadAllBytes(path);
        var text = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true).ReadToEnd();
        var document = Parse(path, text);
        return new PolicyDocument(document.Name, document.Root)
        {
            File = new PolicyFile(fileName, Path.GetFullPath(path), Convert.ToHexStringLower(SHA256.HashData(bytes)), text),
        };
    }

    public static PolicyDocument Parse(string name, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new PolicyException($"{name}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {Plain(e)}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's parser gives up this way on some unfinished documents (an unclosed [ or { at the end).
            throw new PolicyException($"{name}: not valid YAML: the parser stopped before the end (an unclosed bracket, brace or quote?)", e);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new PolicyException($"{name}:1:1: expected one YAML document whose top level is a mapping (key: value)");
        }
        return new PolicyDocument(name, root);
    }

    private static string Plain(YamlException e)
    {
        // YamlDotNet prefixes its messages with the position it also carries in Start; keep only the explanation.
        var message = e.InnerException?.Message ?? e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }

    public PolicyException Error(YamlNode node, string message) =>
        new($"{Name}:{node.Start.Line}:{node.Start.Column}: {message}");

    public YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping (key: value)");

    /// <summary>Refuses keys outside <paramref name="allowed"/> and answers the entries as (key, node) pairs.</summary>
    public IEnumerable<(string Key, YamlScalarNode KeyNode, YamlNode Value)> Entries(YamlMappingNode mapping, string what, params string[] allowed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalar)
            {
                throw Error(keyNode, $"{what}: keys must be plain words");
            }
            if (allowed.Length > 0 && !allowed.Contains(key, StringComparer.Ordinal))
            {
                throw Error(keyNode, $"{what}: unknown key '{key}'; expected one of {string.Join(", ", allowed)}");
            }
            if (!seen.Add(key))
            {
                throw Error(keyNode, $"{what}: '{key}' is given twice");
            }
            yield return (key, scalar, value);
        }
    }

    public static YamlNode? Find(YamlMappingNode mapping, string key)
    {
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is YamlScalarNode { Value: var k } && string.Equals(k, key, StringComparison.Ordinal))
            {
                return value;
            }
        }
        return null;
    }

    public YamlNode Require(YamlMappingNode mapping, string key, string what) =>
        Find(mapping, key) ?? throw Error(mapping, $"{what}: '{key}' is missing");

    public string Text(YamlNode node, string what) =>
        node is YamlScalarNode { Value: { } value } ? value : throw Error(node, $"{what} must be a single value");

    public string? OptionalText(YamlMappingNode mapping, string key, string what) =>
        Find(mapping, key) is { } node ? Text(node, $"{what}.{key}") : null;

    public int Integer(YamlNode node, string what, int min, int max)
    {
        var text = Text(node, what);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Error(node, $"{what} must be a whole number from {min} to {max}; got '{text}'");
        }
        return value;
    }

    public bool Boolean(YamlNode node, string what) => Text(node, what) switch
    {
        "true" => true,
        "false" => false,
        var other => throw Error(node, $"{what} must be true or false; got '{other}'"),
    };

    public decimal Number(YamlNode node, string what, decimal minExclusive, decimal max)
    {
        var text = Text(node, what);
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= minExclusive || value > max)
        {
            throw Error(node, $"{what} must be a number greater than {minExclusive.ToString(CultureInfo.InvariantCulture)} and at most {max.ToString(CultureInfo.InvariantCulture)}; got '{text}'");
        }
        return value;
    }

    public IReadOnlyList<(string Value, YamlNode Node)> TextList(YamlNode node, string what)
    {
        if (node is not YamlSequenceNode sequence)
        {
            throw Error(node, $"{what} must be a list such as [a, b]");
        }
        return sequence.Children.Select(item => (Text(item, what + " item"), item)).ToList();
    }
}
