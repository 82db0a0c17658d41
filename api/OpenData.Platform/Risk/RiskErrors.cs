using OpenData.Platform.Common;

namespace OpenData.Platform.Risk;

/// <summary>Error codes of the re-identification risk meter.</summary>
internal static class RiskErrors
{
    [ErrorCode(403, "the risk of a dataset is shown to its owner and the platform's reviewers only")]
    public const string NotReviewer = "risk.not_reviewer";
}
