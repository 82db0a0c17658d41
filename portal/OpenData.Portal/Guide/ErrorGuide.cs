using OpenData.Platform.Common;

namespace OpenData.Portal.Guide;

/// <summary>
/// The errors page's content, read from the platform's registry of codes (<see cref="ErrorCodes.All"/>: every <c>…Errors</c>
/// class's constants with their <c>[ErrorCode]</c>), grouped by the module that declares them. Each code is the id of its row,
/// so a problem's <c>code</c> links to <c>/guide/errors#&lt;code&gt;</c>.
/// </summary>
internal static class ErrorGuide
{
    /// <summary>The modules that declare codes, by name, each with its codes.</summary>
    public static IReadOnlyList<ErrorModule> Modules { get; } = ErrorCodes.All.Values
        .GroupBy(ModuleOf)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => new ErrorModule(g.Key, g.OrderBy(c => c.Code, StringComparer.Ordinal).ToList()))
        .ToList();

    /// <summary>The module of a code: the namespace its <c>…Errors</c> class lives in (<c>OpenData.Platform.Records</c> → <c>Records</c>).</summary>
    public static string ModuleOf(DeclaredCode code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var space = code.DeclaredBy.Namespace ?? "";
        // The sandbox's assembly is one module, whatever its namespaces below the root.
        if (space == "OpenData.Sandbox" || space.StartsWith("OpenData.Sandbox.", StringComparison.Ordinal))
        {
            return "Sandbox";
        }
        return space.StartsWith("OpenData.Platform.", StringComparison.Ordinal) ? space["OpenData.Platform.".Length..].Split('.')[0] : space;
    }

    /// <summary>A meaning cut at its back-quotes: the odd pieces are names (<c>`position`</c>) shown as code.</summary>
    public static IReadOnlyList<(string Text, bool IsCode)> Pieces(string meaning)
    {
        ArgumentNullException.ThrowIfNull(meaning);
        return meaning.Split('`').Select((text, i) => (text, i % 2 == 1)).Where(p => p.text.Length > 0).ToList();
    }

    /// <summary>What <see cref="ExampleRequest"/> answers (its <c>traceId</c> differs each time).</summary>
    public const string ExampleProblem = """
        HTTP/1.1 400 Bad Request
        Content-Type: application/problem+json

        {
          "type": "urn:opendata:problem:query.unknown_column",
          "title": "The request cannot be processed as sent",
          "status": 400,
          "detail": "unknown column 'nmae' (at 1); did you mean 'name'? columns of 'ningbo-villages': code, name, streetCode, provinceCode, cityCode, areaCode",
          "position": 1,
          "code": "query.unknown_column",
          "traceId": "00-9aa860c3ac2ab9fd689b647f1d7f141a-d2880f8980e3a705-00"
        }
        """;

    /// <summary>A request that fails, for the example: a column name misspelt.</summary>
    public static readonly string ExampleRequest = "/v1/datasets/ningbo-villages/records?where=" + Uri.EscapeDataString("nmae = '澄浪社区'");
}
