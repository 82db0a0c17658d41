namespace OpenData.Platform.Quotas;

/// <summary>
/// Why admission refused a request, for an endpoint that answers its own refusals (<see cref="Common.Metered.ShowingRefusal"/>):
/// put on the request's features, with the status (429), <c>Retry-After</c> and the RateLimit headers already written.
/// <see cref="Policy"/> is <c>burst</c> or <c>daily</c>; <see cref="Limit"/> is the burst's size or the day's requests;
/// <see cref="RatePerSecond"/> is set for the burst; <see cref="Anonymous"/> when the caller counted under its address, not a tenant.
/// </summary>
internal sealed record QuotaRefusal(string Code, string Policy, string Plan, long Limit, long? RatePerSecond, long RetryAfterSeconds, DateTimeOffset RetryAt, bool Anonymous)
{
    public const string Burst = "burst";
    public const string Daily = "daily";
}
