using System.Security.Claims;
using OpenData.Platform.Audit;
using OpenData.Platform.Common;

namespace OpenData.Tests.Audit;

/// <summary>
/// The rules of reading the trail, without a store: which entries a caller's reading is kept to, and what a reading may ask for.
/// (What each party then sees on a real chain is <see cref="AuditTrailTests"/>'s; hostile values of each parameter are
/// <c>HostileParameterTests</c>'.)
/// </summary>
public sealed class AuditServiceTests
{
    private static ClaimsPrincipal Caller(string? tenant, params string[] scopes)
    {
        var claims = new List<Claim> { new("scope", string.Join(' ', scopes)) };
        if (tenant is not null)
        {
            claims.Add(new Claim("tenant", tenant));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }

    private static AuditListRequest Request(string? datasetId = null, string? type = null, string? from = null, string? to = null, int? limit = null,
        string? cursor = null, string? format = null) => new(datasetId, type, from, to, limit, cursor, format);

    private static AuditQuery Accepted(Outcome<AuditQuery> outcome)
    {
        Assert.Null(outcome.Refusal);
        return outcome.Value!;
    }

    [Fact]
    public void Operators_read_every_entry_and_everyone_else_is_kept_to_their_tenant()
    {
        Assert.Null(Accepted(AuditService.Query(Caller("platform", "platform:admin"), Request())).Filter.Tenant);
        Assert.Equal("owner-1", Accepted(AuditService.Query(Caller("owner-1", "datasets:write", "access:review"), Request())).Filter.Tenant);
        Assert.Equal("consumer-1", Accepted(AuditService.Query(Caller("consumer-1", "records:read"), Request())).Filter.Tenant);
        // A caller naming no tenant is kept to entries of the empty tenant (none), not let through to all of them.
        Assert.Equal("", Accepted(AuditService.Query(Caller(null, "records:read"), Request())).Filter.Tenant);
    }

    [Fact]
    public void A_reading_carries_its_filters_a_page_of_100_by_default_and_instants_in_utc()
    {
        var query = Accepted(AuditService.Query(Caller("owner-1", "datasets:write"),
            Request(datasetId: "d-1", type: "records.read", from: "2026-02-01T00:00:00+08:00", to: "2026-03-01", cursor: "42")));
        Assert.Equal(100, query.Take);
        Assert.Equal(AuditFormat.Json, query.Format);
        Assert.Equal(new AuditFilter(42, "owner-1", "d-1", "records.read", new DateTimeOffset(2026, 1, 31, 16, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)), query.Filter);
        Assert.Equal(TimeSpan.Zero, query.Filter.From!.Value.Offset);
        Assert.Equal(1000, Accepted(AuditService.Query(Caller("owner-1"), Request(limit: 1000))).Take);
    }

    [Theory]
    [InlineData(null, "Json")]
    [InlineData("json", "Json")]
    [InlineData("JSON", "Json")]
    [InlineData("ndjson", "Ndjson")]
    [InlineData("NDJson", "Ndjson")]
    [InlineData("csv", "Csv")]
    [InlineData("CSV", "Csv")]
    public void Formats_are_named_in_any_case(string? format, string expected) =>
        Assert.Equal(Enum.Parse<AuditFormat>(expected), Accepted(AuditService.Query(Caller("owner-1"), Request(format: format))).Format);

    [Fact]
    public void Every_invalid_parameter_is_named_in_one_refusal()
    {
        var refusal = AuditService.Query(Caller("owner-1"), Request(limit: 0, cursor: "-1", from: "yesterday", to: "soon", format: "xml")).Refusal;
        Assert.NotNull(refusal);
        Assert.Equal(400, refusal.Status);
        Assert.Equal(CommonErrors.Validation, refusal.Code);
        Assert.Equal(["limit", "cursor", "from", "to", "format"], refusal.Errors!.Keys);
        Assert.Equal("format is json, ndjson or csv", Assert.Single(refusal.Errors["format"]));
        Assert.Equal("limit is from 1 to 1000", Assert.Single(AuditService.Query(Caller("owner-1"), Request(limit: 1001)).Refusal!.Errors!["limit"]));
    }
}
