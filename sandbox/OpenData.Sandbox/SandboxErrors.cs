using OpenData.Platform.Common;

namespace OpenData.Sandbox;

/// <summary>Error codes of the sandbox's own routes.</summary>
internal static class SandboxErrors
{
    [ErrorCode(400, "a simulated event's type is missing or not one the sandbox simulates; the detail lists the valid types")]
    public const string EventTypeUnknown = "sandbox.event_type_unknown";

    [ErrorCode(400, "simulate names no failing receiver the sandbox can play; the detail lists the valid ones (fail_twice)")]
    public const string SimulationUnknown = "sandbox.simulation_unknown";
}
