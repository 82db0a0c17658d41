using System.Reflection;

namespace OpenData.Platform.Common;

/// <summary>
/// The platform's error codes: every <c>public const string</c> of a static class whose name ends in <c>Errors</c>, with the status
/// and meaning of its <see cref="ErrorCodeAttribute"/>. Read once, by reflection; a constant without the attribute, or a code
/// declared twice, fails the first use (at start, when the routes declare what they refuse).
/// </summary>
internal static class ErrorCodes
{
    private static readonly Lock Gate = new();
    private static Assembly[] _assemblies = [typeof(ErrorCodes).Assembly];
    private static Lazy<IReadOnlyDictionary<string, DeclaredCode>> _codes = new(() => Read(_assemblies));

    /// <summary>Every declared code, by its value.</summary>
    public static IReadOnlyDictionary<string, DeclaredCode> All => Volatile.Read(ref _codes).Value;

    /// <summary>
    /// Adds the <c>…Errors</c> classes of a module composed from another assembly (the sandbox's), before its routes declare what
    /// they refuse. Adding an assembly twice changes nothing.
    /// </summary>
    public static void Include(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        lock (Gate)
        {
            if (_assemblies.Contains(assembly))
            {
                return;
            }
            var assemblies = (Assembly[])[.. _assemblies, assembly];
            _assemblies = assemblies;
            Volatile.Write(ref _codes, new Lazy<IReadOnlyDictionary<string, DeclaredCode>>(() => Read(assemblies)));
        }
    }

    /// <summary>The assemblies whose codes <see cref="All"/> holds: the platform's, then those <see cref="Include"/>d.</summary>
    public static IReadOnlyList<Assembly> Assemblies => _assemblies;

    /// <summary>The declaration of <paramref name="code"/>; a code no <c>…Errors</c> class declares is a programming error.</summary>
    public static DeclaredCode Get(string code) =>
        All.TryGetValue(code, out var declared)
            ? declared
            : throw new ArgumentException($"'{code}' is not declared by an …Errors class: add it there with [ErrorCode(status, meaning)]", nameof(code));

    /// <summary>The codes one <c>…Errors</c> class declares, ordered by code.</summary>
    public static IReadOnlyList<DeclaredCode> Of(Type errors) =>
        All.Values.Where(c => c.DeclaredBy == errors).OrderBy(c => c.Code, StringComparer.Ordinal).ToList();

    /// <summary>Whether a type is an <c>…Errors</c> class: static (abstract and sealed) and named so.</summary>
    public static bool IsErrorsClass(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type is { IsClass: true, IsAbstract: true, IsSealed: true, IsNested: false } && type.Name.EndsWith("Errors", StringComparison.Ordinal);
    }

    private static Dictionary<string, DeclaredCode> Read(Assembly[] assemblies)
    {
        var codes = new Dictionary<string, DeclaredCode>(StringComparer.Ordinal);
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()).Where(IsErrorsClass).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
            {
                var code = (string)field.GetRawConstantValue()!;
                var attribute = field.GetCustomAttribute<ErrorCodeAttribute>()
                    ?? throw new InvalidOperationException($"{type.Name}.{field.Name} ('{code}') has no [ErrorCode(status, meaning)]");
                var declared = new DeclaredCode(code, attribute.Status, attribute.Meaning, type, field.Name);
                if (!codes.TryAdd(code, declared))
                {
                    throw new InvalidOperationException($"'{code}' is declared twice: {codes[code].DeclaredBy.Name}.{codes[code].Name} and {type.Name}.{field.Name}");
                }
            }
        }
        return codes;
    }
}
