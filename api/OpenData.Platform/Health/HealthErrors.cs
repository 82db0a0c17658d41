using OpenData.Platform.Common;

namespace OpenData.Platform.Health;

/// <summary>Error codes of readiness.</summary>
internal static class HealthErrors
{
    [ErrorCode(503, "the store lacks migrations this build needs: run `migrate`")]
    public const string NotMigrated = "health.not_migrated";

    [ErrorCode(503, "the store does not answer; the reason is in the host's log")]
    public const string StoreUnreachable = "health.store_unreachable";
}
