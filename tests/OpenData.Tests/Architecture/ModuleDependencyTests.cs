namespace OpenData.Tests.Architecture;

/// <summary>
/// The module boundaries of docs/architecture.md, checked against the compiled platform: a new dependency between modules, or a
/// cycle, fails here until the table below (and the document) says why it is allowed.
/// </summary>
public sealed class ModuleDependencyTests
{
    /// <summary>
    /// Every module and the modules it may use. Kernels first (Common and Datasets use nothing; Identity only the store), then the
    /// modules from the bottom up; Hosting is the composition root, which alone may use everything and which nothing uses.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Common"] = [],
        ["Datasets"] = [],
        ["Storage"] = ["Datasets"],
        ["Identity"] = ["Storage"],
        ["Policies"] = [],
        ["GraphQL"] = ["Common", "Identity"],
        ["Health"] = ["Common", "Storage"],
        ["Webhooks"] = ["Common", "Identity", "Storage"],
        ["Audit"] = ["Common", "Datasets", "Identity", "Storage"],
        ["Desensitisation"] = ["Datasets", "Identity", "Policies"],
        ["Quotas"] = ["Common", "GraphQL", "Identity", "Policies", "Storage"],
        ["Tenancy"] = ["Audit", "Common", "GraphQL", "Identity", "Quotas", "Storage"],
        ["Auth"] = ["Common", "Identity", "Storage", "Tenancy"],
        ["Catalogue"] = ["Audit", "Common", "Datasets", "Desensitisation", "GraphQL", "Identity", "Storage", "Tenancy"],
        ["Ingestion"] = ["Catalogue", "Common", "Datasets", "Desensitisation", "Identity", "Storage"],
        ["Records"] = ["Catalogue", "Common", "Datasets", "Desensitisation", "GraphQL", "Identity", "Quotas", "Storage"],
        ["Risk"] = ["Catalogue", "Common", "Datasets", "Desensitisation", "GraphQL", "Identity", "Records"],
        ["Access"] = ["Audit", "Catalogue", "Common", "Datasets", "Desensitisation", "GraphQL", "Identity", "Risk", "Storage", "Tenancy", "Webhooks"],
        ["Monitoring"] = ["Catalogue", "Common", "Datasets", "Identity", "Quotas", "Storage", "Webhooks"],
        // Usable but not visible: verification through Access's verify grants, metered by Quotas, alerts through the webhook outbox.
        ["Analytics"] = ["Access", "Audit", "Catalogue", "Common", "Datasets", "Desensitisation", "GraphQL", "Identity", "Quotas", "Records", "Storage", "Webhooks"],
        // The marketplace: products over catalogue datasets, subscriptions bind Tenancy's apps and are metered by Quotas.
        ["Marketplace"] = ["Audit", "Catalogue", "Common", "Datasets", "GraphQL", "Identity", "Quotas", "Storage", "Tenancy", "Webhooks"],
        ["Seed"] = ["Catalogue", "Datasets", "Desensitisation", "Ingestion", "Tenancy"],
        // The sandbox's own assembly (sandbox/OpenData.Sandbox), composed by the host beside the platform; nothing in the platform uses it.
        ["Sandbox"] = ["Access", "Audit", "Catalogue", "Common", "Datasets", "Desensitisation", "GraphQL", "Identity", "Ingestion", "Quotas", "Records", "Storage", "Tenancy", "Webhooks"],
        ["Hosting"] = ["Access", "Analytics", "Audit", "Auth", "Catalogue", "Common", "Desensitisation", "GraphQL", "Health", "Identity", "Ingestion",
            "Marketplace", "Monitoring", "Policies", "Quotas", "Records", "Risk", "Seed", "Storage", "Tenancy", "Webhooks"],
    };

    private static readonly Lazy<ModuleGraph> Graph = new(() => ModuleGraph.Load(
        typeof(OpenData.Platform.Storage.Database).Assembly.Location, typeof(OpenData.Sandbox.SandboxModule).Assembly.Location));

    [Fact]
    public void Every_module_uses_only_the_modules_the_table_allows()
    {
        var unknown = Graph.Value.Modules.Where(m => !Allowed.ContainsKey(m)).ToList();
        Assert.True(unknown.Count == 0, $"modules missing from the table (add them, with what they may use, here and in docs/architecture.md): {string.Join(", ", unknown)}");
        var forbidden = (from e in Graph.Value.Edges
                         from t in e.Value
                         where !Allowed[e.Key].Contains(t.Key)
                         select $"{e.Key} → {t.Key} ({string.Join("; ", t.Value)})").ToList();
        Assert.True(forbidden.Count == 0, "dependencies the table does not allow:\n" + string.Join("\n", forbidden));
    }

    [Fact]
    public void The_table_allows_no_dependency_the_code_does_not_have()
    {
        // Keeps the table (and the document) honest: an edge removed from the code is removed here too.
        var stale = (from a in Allowed
                     from to in a.Value
                     where !(Graph.Value.Edges.TryGetValue(a.Key, out var targets) && targets.ContainsKey(to))
                     select $"{a.Key} → {to}").ToList();
        Assert.True(stale.Count == 0, "allowed but unused (remove from the table and docs/architecture.md): " + string.Join(", ", stale));
    }

    [Fact]
    public void No_module_sits_in_a_cycle()
    {
        var cycles = Graph.Value.Cycles();
        Assert.True(cycles.Count == 0, "modules that depend on each other: " + string.Join(" | ", cycles.Select(c => string.Join(", ", c))));
    }

    [Fact]
    public void The_table_itself_has_no_cycle_and_nothing_uses_the_composition_root()
    {
        Assert.DoesNotContain(Allowed, a => a.Value.Contains("Hosting"));
        // Depth-first over the table: a cycle allowed on paper would let one grow back in the code.
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        bool Cyclic(string m)
        {
            if (state.TryGetValue(m, out var s))
            {
                return s == 1;
            }
            state[m] = 1;
            var found = Allowed[m].Any(Cyclic);
            state[m] = 2;
            return found;
        }
        Assert.DoesNotContain(Allowed.Keys, Cyclic);
    }

    [Fact]
    public void The_graph_sees_a_dependency_that_hides_inside_a_method_body()
    {
        // The reader must catch uses that no signature shows: the records endpoints answer refusals through Problems inside their
        // methods only (no parameter or return type of theirs names a Common type), and the metering marker is used only as a
        // value passed to WithMetadata.
        Assert.Contains("Catalogue", Graph.Value.Edges["Records"].Keys);
        Assert.Contains("OpenData.Platform.Common.Problems", ModuleGraph.UsesOf(typeof(OpenData.Platform.Records.RecordsEndpoints).Assembly.Location, typeof(OpenData.Platform.Records.RecordsEndpoints).FullName!));
        Assert.Contains("Common", Graph.Value.Edges["Audit"].Keys);
        Assert.Equal("Catalogue", ModuleGraph.ModuleOf("OpenData.Platform.Catalogue.GraphQL"));
        Assert.Null(ModuleGraph.ModuleOf("OpenData.Tests.Architecture"));
    }
}
