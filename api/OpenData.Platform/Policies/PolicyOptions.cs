namespace OpenData.Platform.Policies;

/// <summary>Where the policy files live (<c>OpenData:Policies:Directory</c>); a relative path is taken from the application's folder.</summary>
internal sealed class PolicyOptions
{
    public const string Section = "OpenData:Policies";

    public string Directory { get; set; } = "policies";

    public string ResolvedDirectory => Path.IsPathRooted(Directory) ? Directory : Path.Combine(AppContext.BaseDirectory, Directory);
}
