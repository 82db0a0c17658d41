using OpenData.Platform.Common;

namespace OpenData.Portal.Guide;

/// <summary>The error codes one module of the platform declares (<c>Records</c>, <c>Quotas</c>, …), ordered by code.</summary>
internal sealed record ErrorModule(string Name, IReadOnlyList<DeclaredCode> Codes)
{
    /// <summary>The id of the module's section on the errors page (codes are ids too, and always hold a dot; these never do).</summary>
    public string Anchor => "module-" + Name.ToLowerInvariant();
}
