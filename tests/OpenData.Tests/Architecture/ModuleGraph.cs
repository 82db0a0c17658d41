using Mono.Cecil;

namespace OpenData.Tests.Architecture;

/// <summary>
/// The platform's modules and what each one uses, read from the compiled assembly with Mono.Cecil: every type a module's code
/// names — in signatures, fields, attributes, generic arguments and method bodies (calls, fields, casts, <c>typeof</c>) —
/// counts, so a dependency cannot hide inside a method. A module is the namespace segment after <c>OpenData.Platform</c>
/// (<c>OpenData.Platform.Catalogue.GraphQL</c> belongs to Catalogue). Compiler-generated types (lambdas, iterators, async state
/// machines) belong to the module of the type that declares them.
/// </summary>
public sealed class ModuleGraph
{
    public const string Root = "OpenData.Platform";

    private ModuleGraph(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> edges) => Edges = edges;

    /// <summary>Module → module it uses → a few examples of why (<c>Type → UsedType</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Edges { get; }

    public IEnumerable<string> Modules => Edges.Keys.Concat(Edges.Values.SelectMany(e => e.Keys)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>The sandbox's assembly: one module, named Sandbox, whatever its namespaces below the root.</summary>
    public const string SandboxRoot = "OpenData.Sandbox";

    public static string? ModuleOf(string? ns)
    {
        if (ns is not null && (ns == SandboxRoot || ns.StartsWith(SandboxRoot + ".", StringComparison.Ordinal)))
        {
            return "Sandbox";
        }
        if (ns is null || !ns.StartsWith(Root + ".", StringComparison.Ordinal))
        {
            return null;
        }
        var rest = ns[(Root.Length + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    public static ModuleGraph Load(params string[] assemblyPaths)
    {
        var edges = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
        foreach (var assemblyPath in assemblyPaths)
        {
            using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
            AddEdges(assembly, edges);
        }
        return new ModuleGraph(edges.ToDictionary(e => e.Key,
            e => (IReadOnlyDictionary<string, IReadOnlyList<string>>)e.Value.ToDictionary(t => t.Key, t => (IReadOnlyList<string>)t.Value, StringComparer.Ordinal),
            StringComparer.Ordinal));
    }

    private static void AddEdges(AssemblyDefinition assembly, Dictionary<string, Dictionary<string, List<string>>> edges)
    {
        foreach (var type in assembly.MainModule.GetTypes())
        {
            var from = ModuleOf(Outermost(type).Namespace);
            if (from is null)
            {
                continue;
            }
            foreach (var used in Uses(type))
            {
                var to = ModuleOf(Outermost(used).Namespace);
                if (to is null || to == from)
                {
                    continue;
                }
                var reasons = edges.TryGetValue(from, out var targets) ? targets : edges[from] = new(StringComparer.Ordinal);
                var list = reasons.TryGetValue(to, out var l) ? l : reasons[to] = [];
                var reason = $"{Outermost(type).Name} → {Outermost(used).Name}";
                if (list.Count < 5 && !list.Contains(reason))
                {
                    list.Add(reason);
                }
            }
        }
    }

    /// <summary>Cycles among modules (strongly connected components of more than one module), each as its members.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles(Func<string, string, bool>? keepEdge = null)
    {
        var modules = Modules.ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<IReadOnlyList<string>>();
        var next = 0;
        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in Edges.TryGetValue(v, out var targets) ? targets.Keys : [])
            {
                if (keepEdge is not null && !keepEdge(v, w))
                {
                    continue;
                }
                if (!index.TryGetValue(w, out var wIndex))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], wIndex);
                }
            }
            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                if (component.Count > 1)
                {
                    result.Add(component.Order(StringComparer.Ordinal).ToList());
                }
            }
        }
        foreach (var m in modules.Where(m => !index.ContainsKey(m)))
        {
            Visit(m);
        }
        return result;
    }

    /// <summary>The full names of the types one type of the assembly uses, as the graph sees them.</summary>
    public static IReadOnlySet<string> UsesOf(string assemblyPath, string typeName)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        var type = assembly.MainModule.GetType(typeName) ?? throw new ArgumentException($"{typeName} is not in {assemblyPath}", nameof(typeName));
        return Uses(type).Select(t => Outermost(t).FullName).ToHashSet(StringComparer.Ordinal);
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }
        return type;
    }

    private static List<TypeReference> Uses(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? t)
        {
            switch (t)
            {
                case null:
                    return;
                case GenericInstanceType g:
                    Add(g.ElementType);
                    foreach (var a in g.GenericArguments)
                    {
                        Add(a);
                    }
                    return;
                case TypeSpecification s:
                    Add(s.ElementType);
                    return;
                case GenericParameter:
                    return;
                default:
                    found.Add(t);
                    return;
            }
        }
        void AddAttributes(ICustomAttributeProvider provider)
        {
            foreach (var a in provider.CustomAttributes)
            {
                Add(a.AttributeType);
                foreach (var arg in a.ConstructorArguments)
                {
                    Add(arg.Value as TypeReference);
                }
            }
        }
        void AddMember(MemberReference? m)
        {
            switch (m)
            {
                case MethodReference method:
                    Add(method.DeclaringType);
                    Add(method.ReturnType);
                    foreach (var p in method.Parameters)
                    {
                        Add(p.ParameterType);
                    }
                    if (method is GenericInstanceMethod gm)
                    {
                        foreach (var a in gm.GenericArguments)
                        {
                            Add(a);
                        }
                    }
                    break;
                case FieldReference field:
                    Add(field.DeclaringType);
                    Add(field.FieldType);
                    break;
                case TypeReference t:
                    Add(t);
                    break;
            }
        }
        Add(type.BaseType);
        foreach (var i in type.Interfaces)
        {
            Add(i.InterfaceType);
        }
        AddAttributes(type);
        foreach (var f in type.Fields)
        {
            Add(f.FieldType);
            AddAttributes(f);
        }
        foreach (var p in type.Properties)
        {
            Add(p.PropertyType);
            AddAttributes(p);
        }
        foreach (var m in type.Methods)
        {
            AddAttributes(m);
            Add(m.ReturnType);
            foreach (var p in m.Parameters)
            {
                Add(p.ParameterType);
                AddAttributes(p);
            }
            if (!m.HasBody)
            {
                continue;
            }
            foreach (var v in m.Body.Variables)
            {
                Add(v.VariableType);
            }
            foreach (var instruction in m.Body.Instructions)
            {
                if (instruction.Operand is MemberReference member)
                {
                    AddMember(member);
                }
            }
        }
        return found;
    }
}
