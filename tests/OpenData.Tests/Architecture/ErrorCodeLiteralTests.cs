using System.Reflection;
using OpenData.Platform.Audit;
using OpenData.Platform.Common;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Architecture;

/// <summary>
/// An error code is written once, as its module's constant: no string literal in the source of the API equals a declared code
/// outside the <c>…Errors</c> files. (The compiler inlines constants, so the compiled code cannot tell a constant from a bare
/// literal; the source can.)
/// </summary>
public sealed class ErrorCodeLiteralTests
{
    private static readonly string ApiSource = Path.Combine(RepositoryRoot.Path, "api");

    /// <summary>The declared error codes, and the codes of a broken audit chain (constants of <see cref="AuditChainBreaks"/>).</summary>
    private static readonly HashSet<string> Codes =
    [
        .. ErrorCodes.All.Keys,
        .. typeof(AuditChainBreaks).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!),
    ];

    [Fact]
    public void No_source_file_writes_a_code_as_a_bare_literal()
    {
        var found = BareCodes(Files()).ToList();
        Assert.True(found.Count == 0, "bare error codes — use the module's …Errors constant:\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_scan_finds_a_bare_code()
    {
        var file = Path.Combine(Path.GetTempPath(), $"opendata-codes-{Guid.NewGuid():N}.cs");
        File.WriteAllText(file, "return Problems.NotFound(\"dataset.not_found\", \"gone\"); // also \"not.a_code\"");
        try
        {
            var found = Assert.Single(BareCodes([file]));
            Assert.Contains("dataset.not_found", found, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(ApiSource, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !f.EndsWith("Errors.cs", StringComparison.Ordinal) && !f.EndsWith($"{nameof(AuditChainBreaks)}.cs", StringComparison.Ordinal));

    private static string Relative(string file) => Path.GetRelativePath(ApiSource, file).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>
    /// Each place a declared code is written between quotes: a literal, verbatim or interpolated string that is just the code.
    /// (Looking for the quoted code itself, rather than tokenising literals, cannot be misled by escaped quotes.)
    /// </summary>
    private static IEnumerable<string> BareCodes(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (var code in Codes.Where(c => lines[i].Contains($"\"{c}\"", StringComparison.Ordinal)))
                {
                    yield return $"{Relative(file)}:{i + 1}: \"{code}\"";
                }
            }
        }
    }
}
