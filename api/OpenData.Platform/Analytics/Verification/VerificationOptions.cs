using System.ComponentModel.DataAnnotations;

namespace OpenData.Platform.Analytics.Verification;

/// <summary>Bounds on verification calls (<c>OpenData:Verification</c>): enumeration limits and the floor every answer is padded to.</summary>
internal sealed class VerificationOptions
{
    public const string Section = "OpenData:Verification";

    /// <summary>Calls a tenant may make per minute on one dataset's verification.</summary>
    [Range(1, 100_000)]
    public int CallsPerMinute { get; set; } = 60;

    /// <summary><c>no_match</c> answers a tenant may get per quota day on one dataset; past it calls are refused and the owner alerted.</summary>
    [Range(1, 10_000_000)]
    public int NoMatchesPerDay { get; set; } = 500;

    /// <summary>No answer leaves before this many milliseconds after the call began, so match and no-match take the same time.</summary>
    [Range(0, 10_000)]
    public int FloorMilliseconds { get; set; } = 50;
}
