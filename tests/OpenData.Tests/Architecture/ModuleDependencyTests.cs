using Xunit.Abstractions;

namespace OpenData.Tests.Architecture;

public sealed class ModuleDependencyTests(ITestOutputHelper output)
{
    private static readonly Lazy<ModuleGraph> Graph = new(() => ModuleGraph.Load(typeof(OpenData.Platform.Storage.Database).Assembly.Location));

    [Fact]
    public void Dump()
    {
        foreach (var (from, targets) in Graph.Value.Edges.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            foreach (var (to, why) in targets.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                output.WriteLine($"{from} -> {to}: {string.Join("; ", why)}");
            }
        }
        foreach (var c in Graph.Value.Cycles())
        {
            output.WriteLine("cycle: " + string.Join(", ", c));
        }
    }
}
