namespace OpenData.Platform.Policies;

/// <summary>The policy files in force: those the host read at start, in the order it read them (what the operators' console shows).</summary>
internal sealed class PolicyFiles(IReadOnlyList<PolicyFile> files)
{
    public IReadOnlyList<PolicyFile> Items { get; } = files;

    public PolicyFile? Find(string name) => Items.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
}
