using System.Net;
using System.Net.Http.Json;

namespace OpenData.Tests.Infrastructure;

/// <summary>A dataset of made-up people with personal-data columns, published by the default owner: what desensitisation is tested on.</summary>
internal static class PeopleDataset
{
    /// <summary>The rows every such dataset holds.</summary>
    public static readonly IReadOnlyList<PiiRows.Person> People = PiiRows.Make(40);

    public static async Task CreateAsync(PlatformHost host, string id, string classification = "open")
    {
        var owner = host.Owner();
        var response = await owner.PostAsJsonAsync("/v1/datasets", new
        {
            id,
            title = "People with personal data",
            description = "made-up people",
            theme = "public-services",
            classification,
            license = "CC-BY-4.0",
            updateFrequency = "irregular",
            columns = PiiRows.Columns,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var job = await host.UploadAsync(owner, id, PiiRows.Csv(People));
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
    }
}
