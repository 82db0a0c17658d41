using OpenData.Platform.Common;

namespace OpenData.Sandbox.Twins;

/// <summary>Error codes of the twins' own routes (what sandbox reads answer when no twin is served is the read path's).</summary>
internal static class TwinErrors
{
    [ErrorCode(403, "a twin's fidelity and privacy report is shown to the dataset's owner and the platform's operators only")]
    public const string NotOwner = "sandbox.report_not_owner";

    [ErrorCode(404, "the dataset has no published version yet, so no twin: one is made in the background after each version is published")]
    public const string NotFound = "sandbox.twin_not_found";
}
