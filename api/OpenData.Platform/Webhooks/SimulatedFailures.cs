using System.Text.Json;

namespace OpenData.Platform.Webhooks;

/// <summary>
/// The failing receivers the sandbox can play (<c>simulate</c> of <c>POST /v1/sandbox/events</c>, written into the event's body): the
/// delivery worker POSTs every attempt as usual, signed afresh, and counts the first ones as failed whatever the receiver answered
/// (<see cref="DeliveryFailure.Simulated"/>), so the real retry machinery runs: the log shows the failures, then the delivery.
/// </summary>
internal static class SimulatedFailures
{
    /// <summary>The first two attempts count as failed; the third is delivered when the receiver answers 2xx.</summary>
    public const string FailTwice = "fail_twice";

    public static readonly IReadOnlyList<string> All = [FailTwice];

    /// <summary>How many first attempts a simulation fails.</summary>
    public static int FailuresOf(string? simulate) => simulate switch
    {
        FailTwice => 2,
        _ => 0,
    };

    /// <summary>Whether attempt number <paramref name="attemptsSoFar"/> + 1 of a sandbox delivery with this body is to count as failed.</summary>
    public static bool Fails(string payload, int attemptsSoFar)
    {
        using var document = JsonDocument.Parse(payload);
        var simulate = document.RootElement.TryGetProperty("simulate", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return attemptsSoFar < FailuresOf(simulate);
    }
}
