using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Platform.Common;
using OpenData.Platform.Records.Query;

namespace OpenData.Portal.Pages.Guide;

/// <summary>The query language: parameters, grammar, operators, values, what each visibility allows, and runnable examples.</summary>
internal sealed class QueryModel : PageModel
{
    public string ApiBase { get; private set; } = "";

    /// <summary>The parser's limits, as it enforces them.</summary>
    public static (int Length, int Depth, int Comparisons, int InValues) Limits =>
        (QueryParser.MaxLength, QueryParser.MaxDepth, QueryParser.MaxComparisons, QueryParser.MaxInValues);

    public void OnGet() => ApiBase = PublicUrl.Base(Request);
}
