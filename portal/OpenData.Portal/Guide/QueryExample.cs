namespace OpenData.Portal.Guide;

/// <summary>
/// One example of the query language on a seeded open dataset: the text key of what it shows (<c>Guide.Query.Example.&lt;Key&gt;</c>)
/// and the records query's parameters, as the guide prints them and as its test runs them.
/// </summary>
internal sealed record QueryExample(string Key, string Dataset, IReadOnlyList<(string Name, string Value)> Query)
{
    /// <summary>The records request, relative to the host: what the example's link opens and the test asks.</summary>
    public string PathAndQuery =>
        $"/v1/datasets/{Uri.EscapeDataString(Dataset)}/records?" + string.Join("&", Query.Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value)));
}
