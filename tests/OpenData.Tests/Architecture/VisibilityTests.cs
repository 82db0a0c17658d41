namespace OpenData.Tests.Architecture;

/// <summary>
/// Internal by default: the platform library exports no type. Its only consumers are named in its project file
/// (<c>InternalsVisibleTo</c>: the host, the portal, the tests and the bench), so nothing outside can come to depend on a module's
/// internals, and a module's surface is what its own code and the architecture tests say it is.
/// </summary>
public class VisibilityTests
{
    [Fact]
    public void The_platform_library_exports_no_type()
    {
        var exported = typeof(OpenData.Platform.Storage.Database).Assembly.GetExportedTypes().Select(t => t.FullName).Order(StringComparer.Ordinal).ToList();
        Assert.True(exported.Count == 0, "public types in OpenData.Platform (make them internal; a new consumer goes into InternalsVisibleTo):\n" + string.Join("\n", exported));
    }
}
