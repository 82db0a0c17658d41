namespace OpenData.Sandbox.Events;

/// <summary>
/// The body of <c>POST /v1/sandbox/events</c>: the event type to simulate, optionally a dataset it is about (its id and versions are used;
/// all else is made up), and optionally a failing receiver for the sandbox to play (<c>fail_twice</c>).
/// </summary>
internal sealed record SimulatedEventRequest(string? Type, string? DatasetId, string? Simulate);

/// <summary>
/// A simulated event written to the outbox: its type, <c>environment</c> (always <c>sandbox</c>), the ids of its deliveries (one per
/// sandbox webhook of the tenant subscribed to the type; read them in <c>GET /v1/webhooks/{id}/deliveries</c>), and a note when none is.
/// </summary>
internal sealed record SimulatedEventResult(string Type, string Environment, IReadOnlyList<string> Deliveries, string? Simulate, string? Note);
