using System.Net;
using System.Net.Http.Json;
using System.Text;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Auth;

/// <summary>
/// Every endpoint of the host, called by five kinds of caller, answers the status this table expects. The table is
/// checked against the endpoint metadata: an endpoint without an entry (or an entry without an endpoint) fails the test.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    private const string A = "matrix-a";
    private const string B = "matrix-b";
    private const string Owner = "ningbo-civil-affairs";

    private static readonly string[] ConsumerScopes = ["catalogue:read", "records:read", "access:request", "tenant:admin"];
    private static readonly string[] OwnerScopes = ["catalogue:read", "records:read", "datasets:write", "access:review", "tenant:admin"];

    // Callers: anonymous, consumer (tenant A), another tenant's consumer (B, aiming at A's ids), owner, operator.
    private sealed record Entry(string Method, string Route, Func<Ids, string, HttpRequestMessage> Request, int Anonymous, int Consumer, int Other, int Owner, int Operator);

    private sealed record Ids(string AppId, string JobId);

    private static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);

    private static HttpRequestMessage Json(HttpMethod method, string url, object body) => new(method, url) { Content = JsonContent.Create(body) };

    private static readonly Entry[] Matrix =
    [
        new("GET", "/healthz", (_, _) => Get("/healthz"), 200, 200, 200, 200, 200),
        new("GET", "/readyz", (_, _) => Get("/readyz"), 200, 200, 200, 200, 200),
        new("GET", "/v1/datasets", (_, _) => Get("/v1/datasets"), 200, 200, 200, 200, 200),
        new("GET", "/v1/datasets/{id}", (_, _) => Get("/v1/datasets/ningbo-villages"), 200, 200, 200, 200, 200),
        new("GET", "/v1/datasets/{id}/lineage", (_, _) => Get("/v1/datasets/ningbo-villages/lineage"), 200, 200, 200, 200, 200),
        new("POST", "/v1/datasets", (_, caller) => Json(HttpMethod.Post, "/v1/datasets", new
        {
            id = "matrix-new-" + caller, title = "t", theme = "public-services", classification = "open", license = "CC-BY-4.0",
            updateFrequency = "irregular", columns = new[] { new { name = "a", type = "string" } },
        }), 401, 403, 403, 201, 403),
        // Only the dataset's owner tags its columns; an operator holding datasets:write is not the owner and finds no such dataset of its own.
        new("PATCH", "/v1/datasets/{id}/columns/{name}", (_, _) => Json(HttpMethod.Patch, "/v1/datasets/matrix-data/columns/n", new { tag = (string?)null }),
            401, 403, 403, 200, 404),
        // The risk figure says which combinations single a person out: the dataset's owner and the operator only.
        new("GET", "/v1/datasets/{id}/risk", (_, _) => Get("/v1/datasets/matrix-data/risk"), 401, 403, 403, 200, 200),
        // A verification is its owner's to define (matrix-data is open, so the owner is told a verification adds nothing) and read;
        // verifying needs a verify grant, which nobody here holds (not even the owner or the operator).
        new("PUT", "/v1/datasets/{id}/verification", (_, _) => Json(HttpMethod.Put, "/v1/datasets/matrix-data/verification", new { keys = new[] { "n" } }),
            401, 403, 403, 400, 403),
        new("GET", "/v1/datasets/{id}/verification", (_, _) => Get("/v1/datasets/matrix-data/verification"), 401, 403, 403, 404, 403),
        new("POST", "/v1/datasets/{id}/verify", (_, _) => Json(HttpMethod.Post, "/v1/datasets/matrix-data/verify", new { records = new[] { new { n = 1 } } }),
            401, 403, 403, 403, 403),
        // The twin's report describes the real rows' statistics: the dataset's owner and the operator only.
        new("GET", "/v1/datasets/{id}/twin", (_, _) => Get("/v1/datasets/matrix-data/twin"), 401, 403, 403, 200, 200),
        // Analysis jobs: submitted with access:request (matrix-data is open, so its rows are readable and a job is refused as needless);
        // each tenant lists its own; a job is seen by its requester and the dataset's owner only (nobody's here); decided with datasets:write.
        new("POST", "/v1/analysis-jobs", (_, _) => Json(HttpMethod.Post, "/v1/analysis-jobs", new { datasetId = "matrix-data", queries = new[] { new { groupBy = new[] { "n" } } } }),
            401, 400, 400, 403, 400),
        // The marketplace: products are anyone's to read and an owner's (or a licensed provider's) to publish — the platform and
        // consumers publish none; subscriptions are their subscriber's and provider's; adjustments and licences are the operator's.
        new("GET", "/v1/products", (_, _) => Get("/v1/products"), 200, 200, 200, 200, 200),
        new("GET", "/v1/products/{id}", (_, _) => Get("/v1/products/matrix-none"), 404, 404, 404, 404, 404),
        new("GET", "/v1/products/{id}/agreements", (_, _) => Get("/v1/products/matrix-none/agreements"), 404, 404, 404, 404, 404),
        new("POST", "/v1/products", (_, _) => Json(HttpMethod.Post, "/v1/products", new { id = "matrix-product" }), 401, 403, 403, 400, 403),
        new("PATCH", "/v1/products/{id}", (_, _) => Json(HttpMethod.Patch, "/v1/products/matrix-none", new { title = "t" }), 401, 404, 404, 404, 404),
        new("POST", "/v1/subscriptions", (_, _) => Json(HttpMethod.Post, "/v1/subscriptions", new { productId = "matrix-none", plan = "p", appId = "a", agreementVersion = "1" }),
            401, 404, 404, 404, 404),
        new("GET", "/v1/subscriptions", (_, _) => Get("/v1/subscriptions"), 401, 200, 200, 200, 200),
        new("GET", "/v1/subscriptions/{id}", (_, _) => Get("/v1/subscriptions/sub_none"), 401, 404, 404, 404, 404),
        new("POST", "/v1/subscriptions/{id}/decision", (_, _) => Json(HttpMethod.Post, "/v1/subscriptions/sub_none/decision", new { decision = "approve" }),
            401, 404, 404, 404, 404),
        new("POST", "/v1/subscriptions/{id}/change", (_, _) => Json(HttpMethod.Post, "/v1/subscriptions/sub_none/change", new { plan = "p" }), 401, 404, 404, 404, 404),
        new("POST", "/v1/subscriptions/{id}/cancel", (_, _) => Json(HttpMethod.Post, "/v1/subscriptions/sub_none/cancel", new { }), 401, 404, 404, 404, 404),
        new("GET", "/v1/statements", (_, _) => Get("/v1/statements"), 401, 200, 200, 200, 200),
        new("POST", "/v1/statements/adjustments", (_, _) => Json(HttpMethod.Post, "/v1/statements/adjustments", new { }), 401, 403, 403, 403, 400),
        new("POST", "/v1/tenants/{id}/provider-licence", (_, _) => Json(HttpMethod.Post, $"/v1/tenants/{A}/provider-licence", new { licensed = false }), 401, 403, 403, 403, 200),
        new("GET", "/v1/tenants/{id}/provider-licence", (_, _) => Get($"/v1/tenants/{A}/provider-licence"), 401, 200, 404, 404, 200),
        new("GET", "/v1/analysis-jobs", (_, _) => Get("/v1/analysis-jobs?role=reviewer"), 401, 200, 200, 200, 200),
        new("GET", "/v1/analysis-jobs/{id}", (_, _) => Get("/v1/analysis-jobs/job_none"), 401, 404, 404, 404, 404),
        new("POST", "/v1/analysis-jobs/{id}/decision", (_, _) => Json(HttpMethod.Post, "/v1/analysis-jobs/job_none/decision", new { decision = "release", reason = "r" }),
            401, 403, 403, 404, 404),
        new("GET", "/v1/organisations", (_, _) => Get("/v1/organisations"), 200, 200, 200, 200, 200),
        new("GET", "/v1/themes", (_, _) => Get("/v1/themes"), 200, 200, 200, 200, 200),
        new("GET", "/v1/catalogue/dcat", (_, _) => Get("/v1/catalogue/dcat"), 200, 200, 200, 200, 200),
        new("GET", "/v1/datasets/{id}/records", (_, _) => Get("/v1/datasets/ningbo-villages/records?limit=1"), 200, 200, 200, 200, 200),
        // Aggregates of open data: anyone, as its records.
        new("GET", "/v1/datasets/{id}/aggregate", (_, _) => Get("/v1/datasets/matrix-data/aggregate?group_by=n&measures=count,sum(n)"), 200, 200, 200, 200, 200),
        // The owner's switch for aggregates without a grant: another tenant's dataset reads as none, as for tagging.
        new("GET", "/v1/datasets/{id}/aggregate-access", (_, _) => Get("/v1/datasets/matrix-data/aggregate-access"), 401, 403, 403, 200, 404),
        new("PUT", "/v1/datasets/{id}/aggregate-access", (_, _) => Json(HttpMethod.Put, "/v1/datasets/matrix-data/aggregate-access", new { enabled = false }),
            401, 403, 403, 200, 404),
        new("GET", "/v1/datasets/{id}/export", (_, _) => Get("/v1/datasets/ningbo-air-quality-daily/export"), 200, 200, 200, 200, 200),
        new("POST", "/v1/datasets/{id}/versions", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/v1/datasets/matrix-data/versions")
        {
            Content = new StringContent("n\n1\n", Encoding.UTF8, "text/csv"),
        }, 401, 403, 403, 202, 403),
        new("GET", "/v1/ingestions/{jobId}", (ids, _) => Get($"/v1/ingestions/{ids.JobId}"), 401, 403, 403, 200, 404),
        new("POST", "/v1/tenants", (_, caller) => Json(HttpMethod.Post, "/v1/tenants", new { name = "new " + caller, kind = "consumer" }), 401, 403, 403, 403, 201),
        new("GET", "/v1/tenants/{id}", (_, _) => Get($"/v1/tenants/{A}"), 401, 200, 404, 404, 200),
        new("PATCH", "/v1/tenants/{id}", (_, _) => Json(HttpMethod.Patch, $"/v1/tenants/{A}", new { plan = "free" }), 401, 403, 403, 403, 200),
        new("POST", "/v1/tenants/{id}/apps", (_, _) => Json(HttpMethod.Post, $"/v1/tenants/{A}/apps", new { name = "another" }), 401, 201, 404, 404, 201),
        new("POST", "/v1/apps/{id}/secret", (ids, _) => new HttpRequestMessage(HttpMethod.Post, $"/v1/apps/{ids.AppId}/secret"), 401, 200, 404, 404, 200),
        // Promote to live: the matrix's app is a live app already (409); another tenant's id is not found.
        // Simulated events are the sandbox's: every caller here holds a live token (403 env.mismatch), the anonymous one none.
        new("POST", "/v1/sandbox/events", (_, _) => Json(HttpMethod.Post, "/v1/sandbox/events", new { type = "access_request.decided" }), 401, 403, 403, 403, 403),
        // Contests: anyone reads them; only the organiser (an operator) creates and edits one.
        new("GET", "/v1/contests", (_, _) => Get("/v1/contests"), 200, 200, 200, 200, 200),
        new("GET", "/v1/contests/{id}", (_, _) => Get("/v1/contests/matrix-none"), 404, 404, 404, 404, 404),
        new("POST", "/v1/contests", (_, caller) => Json(HttpMethod.Post, "/v1/contests", new
        {
            id = "matrix-contest-" + caller, title = "t", description = "d", startsAt = "2026-01-01T00:00:00Z", endsAt = "2027-01-01T00:00:00Z",
            datasets = new[] { "ningbo-villages" },
        }), 401, 403, 403, 403, 201),
        new("PATCH", "/v1/contests/{id}", (_, _) => Json(HttpMethod.Patch, "/v1/contests/matrix-none", new { title = "t2" }), 401, 403, 403, 403, 404),
        // Teams and submissions of a contest that does not exist: signed-in callers reach the service (404), the organiser's decision needs platform:admin.
        new("POST", "/v1/contests/{id}/teams", (_, _) => Json(HttpMethod.Post, "/v1/contests/matrix-none/teams", new { name = "t", members = new[] { "a@example.org" }, acceptTerms = true }),
            401, 404, 404, 404, 404),
        new("GET", "/v1/contests/{id}/teams", (_, _) => Get("/v1/contests/matrix-none/teams"), 401, 404, 404, 404, 404),
        new("GET", "/v1/contests/{id}/teams/{teamId}", (_, _) => Get("/v1/contests/matrix-none/teams/team_x"), 401, 404, 404, 404, 404),
        new("PATCH", "/v1/contests/{id}/teams/{teamId}", (_, _) => Json(HttpMethod.Patch, "/v1/contests/matrix-none/teams/team_x", new { name = "t2" }), 401, 404, 404, 404, 404),
        new("POST", "/v1/contests/{id}/teams/{teamId}/decision", (_, _) => Json(HttpMethod.Post, "/v1/contests/matrix-none/teams/team_x/decision", new { decision = "approve" }),
            401, 403, 403, 403, 404),
        new("POST", "/v1/contests/{id}/teams/{teamId}/credentials", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/v1/contests/matrix-none/teams/team_x/credentials"),
            401, 404, 404, 404, 404),
        new("POST", "/v1/contests/{id}/teams/{teamId}/attachments", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/v1/contests/matrix-none/teams/team_x/attachments")
        {
            Content = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n")),
        }, 401, 404, 404, 404, 404),
        new("POST", "/v1/contests/{id}/submissions", (_, _) => Json(HttpMethod.Post, "/v1/contests/matrix-none/submissions", new { teamId = "team_x", title = "t", description = "d", url = "https://x.example.org" }),
            401, 404, 404, 404, 404),
        new("GET", "/v1/contests/{id}/submissions", (_, _) => Get("/v1/contests/matrix-none/submissions"), 401, 404, 404, 404, 404),
        new("GET", "/v1/contests/{id}/attachments/{attachmentId}", (_, _) => Get("/v1/contests/matrix-none/attachments/att_x"), 401, 404, 404, 404, 404),
        // Judging: the organiser names judges and reads the standings (platform:admin); entries and scores are a judge's (a person named by
        // the organiser), asked by signed-in callers of a contest that does not exist (404); leaderboard and showcase are anyone's.
        new("POST", "/v1/contests/{id}/judges", (_, _) => Json(HttpMethod.Post, "/v1/contests/matrix-none/judges", new { email = "judge@matrix.test" }), 401, 403, 403, 403, 404),
        new("GET", "/v1/contests/{id}/judges", (_, _) => Get("/v1/contests/matrix-none/judges"), 401, 403, 403, 403, 404),
        new("DELETE", "/v1/contests/{id}/judges/{judgeId}", (_, _) => new HttpRequestMessage(HttpMethod.Delete, "/v1/contests/matrix-none/judges/m_x"), 401, 403, 403, 403, 404),
        new("GET", "/v1/contests/{id}/entries", (_, _) => Get("/v1/contests/matrix-none/entries"), 401, 404, 404, 404, 404),
        new("GET", "/v1/contests/{id}/entries/{entry}/attachment", (_, _) => Get("/v1/contests/matrix-none/entries/e_x/attachment"), 401, 404, 404, 404, 404),
        new("POST", "/v1/contests/{id}/scores", (_, _) => Json(HttpMethod.Post, "/v1/contests/matrix-none/scores",
            new { entry = "e_x", scores = new[] { new { criterion = "innovation", score = 1 } }, comment = "c" }), 401, 404, 404, 404, 404),
        new("GET", "/v1/contests/{id}/standings", (_, _) => Get("/v1/contests/matrix-none/standings"), 401, 403, 403, 403, 404),
        new("POST", "/v1/contests/{id}/results", (_, _) => Json(HttpMethod.Post, "/v1/contests/matrix-none/results", new { }), 401, 403, 403, 403, 404),
        new("GET", "/v1/contests/{id}/leaderboard", (_, _) => Get("/v1/contests/matrix-none/leaderboard"), 404, 404, 404, 404, 404),
        new("GET", "/v1/contests/{id}/showcase", (_, _) => Get("/v1/contests/matrix-none/showcase"), 404, 404, 404, 404, 404),
        // Taking a winner live: the team's tenant (tenant:admin, which every signed-in caller here holds).
        new("POST", "/v1/contests/{id}/teams/{teamId}/promote", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/v1/contests/matrix-none/teams/team_x/promote"),
            401, 404, 404, 404, 404),
        new("POST", "/v1/apps/{id}/promote", (ids, _) => new HttpRequestMessage(HttpMethod.Post, $"/v1/apps/{ids.AppId}/promote"), 401, 409, 404, 404, 409),
        new("DELETE", "/v1/apps/{id}", (ids, _) => new HttpRequestMessage(HttpMethod.Delete, $"/v1/apps/{ids.AppId}"), 401, 204, 404, 404, 204),
        new("POST", "/v1/tenants/{id}/members", (_, caller) => Json(HttpMethod.Post, $"/v1/tenants/{A}/members",
            new { email = caller + "@matrix.test", name = "m", role = "developer", password = "0123456789ab" }), 401, 201, 404, 404, 201),
        new("GET", "/v1/tenants/{id}/members", (_, _) => Get($"/v1/tenants/{A}/members"), 401, 200, 404, 404, 200),
        new("GET", "/v1/me", (_, _) => Get("/v1/me"), 401, 200, 200, 200, 200),
        new("GET", "/v1/quota", (_, _) => Get("/v1/quota"), 200, 200, 200, 200, 200),
        // Access: the matrix's consumers hold access:request but no grant-worthy dataset of their own; an unknown request id is 404 for
        // whoever may ask, and the scope decides the rest.
        new("POST", "/v1/access-requests", (_, _) => Json(HttpMethod.Post, "/v1/access-requests", new { datasetId = "ningbo-villages", purpose = "p", durationDays = 1 }),
            401, 400, 400, 403, 400),
        new("GET", "/v1/access-requests", (_, _) => Get("/v1/access-requests"), 401, 200, 200, 200, 200),
        new("GET", "/v1/access-requests/{id}", (_, _) => Get("/v1/access-requests/ar_none"), 401, 404, 404, 404, 404),
        new("POST", "/v1/access-requests/{id}/decision", (_, _) => Json(HttpMethod.Post, "/v1/access-requests/ar_none/decision", new { decision = "approve", reason = "r" }),
            401, 403, 403, 404, 404),
        new("POST", "/v1/access-requests/{id}/withdraw", (_, _) => Json(HttpMethod.Post, "/v1/access-requests/ar_none/withdraw", new { }), 401, 404, 404, 403, 404),
        new("POST", "/v1/access-requests/{id}/resubmit", (_, _) => Json(HttpMethod.Post, "/v1/access-requests/ar_none/resubmit", new { }), 401, 404, 404, 403, 404),
        new("PATCH", "/v1/access-requests/{id}", (_, _) => Json(HttpMethod.Patch, "/v1/access-requests/ar_none", new { }), 401, 404, 404, 403, 404),
        new("POST", "/v1/access-requests/{id}/submit", (_, _) => Json(HttpMethod.Post, "/v1/access-requests/ar_none/submit", new { }), 401, 404, 404, 403, 404),
        new("GET", "/v1/grants", (_, _) => Get("/v1/grants"), 401, 200, 200, 200, 200),
        new("GET", "/v1/audit", (_, _) => Get("/v1/audit"), 401, 200, 200, 200, 200),
        new("POST", "/v1/webhooks", (_, _) => Json(HttpMethod.Post, "/v1/webhooks", new { url = "https://hooks.example.org/x" }), 401, 201, 201, 201, 201),
        new("GET", "/v1/webhooks", (_, _) => Get("/v1/webhooks"), 401, 200, 200, 200, 200),
        new("DELETE", "/v1/webhooks/{id}", (_, _) => new HttpRequestMessage(HttpMethod.Delete, "/v1/webhooks/wh_none"), 401, 404, 404, 404, 404),
        new("GET", "/v1/webhooks/{id}/deliveries", (_, _) => Get("/v1/webhooks/wh_none/deliveries"), 401, 404, 404, 404, 404),
        new("POST", "/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks/wh_none/deliveries/wd_none/redeliver"),
            401, 404, 404, 404, 404),
        // Checking the whole platform's chain is for those accountable for it: data owners and the operator.
        new("GET", "/v1/audit/verify", (_, _) => Get("/v1/audit/verify"), 401, 403, 403, 200, 200),
        new("POST", "/v1/grants/{id}/revoke", (_, _) => Json(HttpMethod.Post, "/v1/grants/gr_none/revoke", new { reason = "r" }), 401, 403, 403, 404, 404),
        // Usage of tenant A: its own members and the operator see it; for anyone else tenant A does not exist.
        new("GET", "/v1/usage", (_, _) => Get($"/v1/usage?tenant={A}"), 401, 200, 404, 404, 200),
        new("GET", "/v1/usage/requests", (_, _) => Get($"/v1/usage/requests?tenant={A}"), 401, 200, 404, 404, 200),
        new("GET", "/account/signin", (_, _) => Get("/account/signin"), 200, 200, 200, 200, 200),
        // The portal's pages: HTML for anyone. The language switch answers GET by going home, and refuses a POST without the
        // page's antiforgery token. In Development, the code-flow demo app's callback page: HTML for anyone.
        new("GET", "/", (_, _) => Get("/"), 200, 200, 200, 200, 200),
        new("GET", "/datasets", (_, _) => Get("/datasets?q=ningbo"), 200, 200, 200, 200, 200),
        new("GET", "/datasets/{id}", (_, _) => Get("/datasets/ningbo-villages"), 200, 200, 200, 200, 200),
        new("GET", "/language", (_, _) => Get("/language"), 200, 200, 200, 200, 200),
        new("POST", "/language", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/language") { Content = new FormUrlEncodedContent([new("culture", "en")]) },
            400, 400, 400, 400, 400),
        // Sign-up: the form for anyone; a form posted without the page's antiforgery token creates nothing.
        new("GET", "/signup", (_, _) => Get("/signup"), 200, 200, 200, 200, 200),
        new("POST", "/signup", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/signup")
            { Content = new FormUrlEncodedContent([new("organisation", "X"), new("name", "X"), new("email", "matrix@example.test"), new("password", "0123456789ab")]) },
            400, 400, 400, 400, 400),
        // The developer console and sign-out need the sign-in cookie: a token is not a person, so every caller here (none has
        // the cookie) is sent to sign in, before any form is looked at.
        new("GET", "/console", (_, _) => Get("/console"), 200, 200, 200, 200, 200),
        new("POST", "/console", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console?handler=Create") { Content = new FormUrlEncodedContent([new("name", "x")]) },
            200, 200, 200, 200, 200),
        new("GET", "/console/members", (_, _) => Get("/console/members"), 200, 200, 200, 200, 200),
        new("POST", "/console/members", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/members") { Content = new FormUrlEncodedContent([]) },
            200, 200, 200, 200, 200),
        new("GET", "/console/requests", (_, _) => Get("/console/requests"), 200, 200, 200, 200, 200),
        new("POST", "/console/requests", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/requests?handler=Submit")
            { Content = new FormUrlEncodedContent([new("requestId", "ar_none"), new("purpose", "x")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/usage", (_, _) => Get("/console/usage"), 200, 200, 200, 200, 200),
        new("GET", "/console/inbox", (_, _) => Get("/console/inbox"), 200, 200, 200, 200, 200),
        new("POST", "/console/inbox", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/inbox?handler=Decide")
            { Content = new FormUrlEncodedContent([new("requestId", "ar_none"), new("reason", "r"), new("decision", "approve")]) }, 200, 200, 200, 200, 200),
        // The guide is for anyone.
        new("GET", "/guide", (_, _) => Get("/guide"), 200, 200, 200, 200, 200),
        new("GET", "/guide/query", (_, _) => Get("/guide/query"), 200, 200, 200, 200, 200),
        new("GET", "/guide/errors", (_, _) => Get("/guide/errors"), 200, 200, 200, 200, 200),
        new("GET", "/guide/quotas", (_, _) => Get("/guide/quotas"), 200, 200, 200, 200, 200),
        new("GET", "/console/try", (_, _) => Get("/console/try"), 200, 200, 200, 200, 200),
        new("GET", "/console/datasets", (_, _) => Get("/console/datasets"), 200, 200, 200, 200, 200),
        new("GET", "/console/grants", (_, _) => Get("/console/grants"), 200, 200, 200, 200, 200),
        new("GET", "/console/datasets/{id}/columns", (_, _) => Get("/console/datasets/matrix-data/columns"), 200, 200, 200, 200, 200),
        new("POST", "/console/datasets/{id}/columns", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/datasets/matrix-data/columns?handler=Tag")
            { Content = new FormUrlEncodedContent([new("column", "n"), new("tag", "public")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/datasets/{id}/twin", (_, _) => Get("/console/datasets/matrix-data/twin"), 200, 200, 200, 200, 200),
        // Usable but not visible: an owner's analytics settings (403 on the page for a tenant that owns no data, 404 for another's
        // dataset), its airlock (owners only), and anyone's analysis jobs.
        new("GET", "/console/datasets/{id}/analytics", (_, _) => Get("/console/datasets/matrix-data/analytics"), 200, 200, 200, 200, 200),
        new("POST", "/console/datasets/{id}/analytics", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/datasets/matrix-data/analytics?handler=Aggregates")
            { Content = new FormUrlEncodedContent([new("enabled", "false")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/airlock", (_, _) => Get("/console/airlock"), 200, 200, 200, 200, 200),
        new("POST", "/console/airlock", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/airlock?handler=Decide")
            { Content = new FormUrlEncodedContent([new("jobId", "job_none"), new("reason", "r"), new("decision", "release")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/analysis", (_, _) => Get("/console/analysis"), 200, 200, 200, 200, 200),
        new("POST", "/console/analysis", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/analysis?handler=Submit")
            { Content = new FormUrlEncodedContent([new("dataset", "matrix-data"), new("groupBy[0]", "n")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/environment", (_, _) => Get("/console/environment"), 200, 200, 200, 200, 200),
        new("POST", "/console/environment", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/environment")
            { Content = new FormUrlEncodedContent([new("environment", "sandbox")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/monitoring", (_, _) => Get("/console/monitoring"), 200, 200, 200, 200, 200),
        new("GET", "/console/audit", (_, _) => Get("/console/audit"), 200, 200, 200, 200, 200),
        new("GET", "/console/policies", (_, _) => Get("/console/policies"), 200, 200, 200, 200, 200),
        new("GET", "/console/figures", (_, _) => Get("/console/figures"), 200, 200, 200, 200, 200),
        // The marketplace: its pages for anyone (an unknown product is 404); subscribing, subscriptions, statements, the provider
        // console and the operator's licences are the console's (sign-in first, then the page refuses whom it is not for).
        new("GET", "/marketplace", (_, _) => Get("/marketplace"), 200, 200, 200, 200, 200),
        new("GET", "/marketplace/{id}", (_, _) => Get("/marketplace/matrix-none"), 404, 404, 404, 404, 404),
        new("GET", "/console/marketplace/{id}/subscribe", (_, _) => Get("/console/marketplace/matrix-none/subscribe"), 200, 200, 200, 200, 200),
        new("POST", "/console/marketplace/{id}/subscribe", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/marketplace/matrix-none/subscribe")
            { Content = new FormUrlEncodedContent([new("plan", "basic"), new("appId", "x"), new("agreementVersion", "1.0"), new("accept", "true")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/subscriptions", (_, _) => Get("/console/subscriptions"), 200, 200, 200, 200, 200),
        new("POST", "/console/subscriptions", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/subscriptions?handler=Cancel")
            { Content = new FormUrlEncodedContent([new("subscriptionId", "sub_none")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/statements", (_, _) => Get("/console/statements"), 200, 200, 200, 200, 200),
        new("GET", "/console/products", (_, _) => Get("/console/products"), 200, 200, 200, 200, 200),
        new("POST", "/console/products", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/products?handler=Publish")
            { Content = new FormUrlEncodedContent([new("productId", "matrix-none")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/providers", (_, _) => Get("/console/providers"), 200, 200, 200, 200, 200),
        new("POST", "/console/providers", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/providers?handler=License")
            { Content = new FormUrlEncodedContent([new("tenantId", "matrix-none")]) }, 200, 200, 200, 200, 200),
        // Contests: the public pages for anyone (an unknown contest is 404, its leaderboard too, as before publication); the
        // console's contest pages need the sign-in cookie like the rest of the console.
        new("GET", "/contests", (_, _) => Get("/contests"), 200, 200, 200, 200, 200),
        new("GET", "/contests/{id}", (_, _) => Get("/contests/matrix-none"), 404, 404, 404, 404, 404),
        new("GET", "/contests/{id}/leaderboard", (_, _) => Get("/contests/matrix-none/leaderboard"), 404, 404, 404, 404, 404),
        new("GET", "/contests/{id}/showcase", (_, _) => Get("/contests/matrix-none/showcase"), 404, 404, 404, 404, 404),
        new("GET", "/console/contests", (_, _) => Get("/console/contests"), 200, 200, 200, 200, 200),
        new("GET", "/console/contests/new", (_, _) => Get("/console/contests/new"), 200, 200, 200, 200, 200),
        new("POST", "/console/contests/new", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/contests/new")
            { Content = new FormUrlEncodedContent([new("title", "t")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/contests/{id}/edit", (_, _) => Get("/console/contests/matrix-none/edit"), 200, 200, 200, 200, 200),
        new("POST", "/console/contests/{id}/edit", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/contests/matrix-none/edit")
            { Content = new FormUrlEncodedContent([new("title", "t")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/contests/{id}/organise", (_, _) => Get("/console/contests/matrix-none/organise"), 200, 200, 200, 200, 200),
        new("POST", "/console/contests/{id}/organise", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/contests/matrix-none/organise?handler=Decide")
            { Content = new FormUrlEncodedContent([new("teamId", "t"), new("decision", "approve")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/contests/{id}/submissions", (_, _) => Get("/console/contests/matrix-none/submissions"), 200, 200, 200, 200, 200),
        new("GET", "/console/contests/{id}/register", (_, _) => Get("/console/contests/matrix-none/register"), 200, 200, 200, 200, 200),
        new("POST", "/console/contests/{id}/register", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/contests/matrix-none/register")
            { Content = new FormUrlEncodedContent([new("name", "t"), new("acceptTerms", "true")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/contests/{id}/teams/{teamId}", (_, _) => Get("/console/contests/matrix-none/teams/t"), 200, 200, 200, 200, 200),
        new("POST", "/console/contests/{id}/teams/{teamId}", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/contests/matrix-none/teams/t?handler=Credentials")
            { Content = new FormUrlEncodedContent([]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/contests/{id}/attachments/{attachmentId}", (_, _) => Get("/console/contests/matrix-none/attachments/a"), 200, 200, 200, 200, 200),
        new("GET", "/console/contests/{id}/judge", (_, _) => Get("/console/contests/matrix-none/judge"), 200, 200, 200, 200, 200),
        new("POST", "/console/contests/{id}/judge", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/contests/matrix-none/judge?handler=Score")
            { Content = new FormUrlEncodedContent([new("entry", "e"), new("comment", "c")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/contests/{id}/entries/{entry}/attachment", (_, _) => Get("/console/contests/matrix-none/entries/e/attachment"), 200, 200, 200, 200, 200),
        new("GET", "/console/contests/{id}/judging", (_, _) => Get("/console/contests/matrix-none/judging"), 200, 200, 200, 200, 200),
        new("POST", "/console/contests/{id}/judging", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/contests/matrix-none/judging?handler=Publish")
            { Content = new FormUrlEncodedContent([]) }, 200, 200, 200, 200, 200),
        new("POST", "/console/grants", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/grants?handler=Revoke")
            { Content = new FormUrlEncodedContent([new("grantId", "g"), new("reason", "x")]) }, 200, 200, 200, 200, 200),
        new("POST", "/console/try", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/try")
            { Content = new FormUrlEncodedContent([new("dataset", "ningbo-villages"), new("limit", "5")]) }, 200, 200, 200, 200, 200),
        new("GET", "/console/requests/new", (_, _) => Get("/console/requests/new?datasetId=hotline-12345-requests"), 200, 200, 200, 200, 200),
        new("POST", "/console/requests/new", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/requests/new") { Content = new FormUrlEncodedContent([]) },
            200, 200, 200, 200, 200),
        new("GET", "/console/publish", (_, _) => Get("/console/publish"), 200, 200, 200, 200, 200),
        new("POST", "/console/publish", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/publish") { Content = new FormUrlEncodedContent([new("id", "x")]) },
            200, 200, 200, 200, 200),
        new("GET", "/console/datasets/{id}/upload", (_, _) => Get("/console/datasets/matrix-data/upload"), 200, 200, 200, 200, 200),
        new("POST", "/console/datasets/{id}/upload", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/datasets/matrix-data/upload?handler=Raw")
            { Content = new StringContent("n\n1\n", Encoding.UTF8, "text/csv") }, 200, 200, 200, 200, 200),
        new("GET", "/console/ingestions/{jobId}", (ids, _) => Get($"/console/ingestions/{ids.JobId}"), 200, 200, 200, 200, 200),
        new("GET", "/console/webhooks", (_, _) => Get("/console/webhooks"), 200, 200, 200, 200, 200),
        new("GET", "/console/tenants", (_, _) => Get("/console/tenants"), 200, 200, 200, 200, 200),
        new("GET", "/console/tenants/{id}", (_, _) => Get($"/console/tenants/{A}"), 200, 200, 200, 200, 200),
        new("POST", "/console/tenants/{id}", (_, _) => new HttpRequestMessage(HttpMethod.Post, $"/console/tenants/{A}?handler=Disable")
            { Content = new FormUrlEncodedContent([new("reason", "x")]) }, 200, 200, 200, 200, 200),
        new("POST", "/console/webhooks", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/console/webhooks?handler=Register")
            { Content = new FormUrlEncodedContent([new("url", "https://hooks.example.org/x")]) }, 200, 200, 200, 200, 200),
        new("GET", "/signout", (_, _) => Get("/signout"), 200, 200, 200, 200, 200),
        new("POST", "/signout", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/signout") { Content = new FormUrlEncodedContent([]) }, 200, 200, 200, 200, 200),
        new("GET", "/demo/callback", (_, _) => Get("/demo/callback?code=c&state=s"), 200, 200, 200, 200, 200),
        // A sign-in form posted without the page's antiforgery token is refused before any password is looked at.
        new("POST", "/account/signin", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/account/signin") { Content = new FormUrlEncodedContent([]) }, 400, 400, 400, 400, 400),
        // The authorisation endpoint checks the request (client, redirect URI, PKCE) before anyone signs in.
        new("GET", "/connect/authorize", (_, _) => Get("/connect/authorize"), 400, 400, 400, 400, 400),
        new("POST", "/connect/authorize", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/connect/authorize") { Content = new FormUrlEncodedContent([]) }, 400, 400, 400, 400, 400),
        // The token endpoint authenticates the client from the form; an empty request is refused whoever sends it.
        new("POST", "/connect/token", (_, _) => new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent([]) }, 400, 400, 400, 400, 400),
        // GraphQL's routes admit every caller (a refused field is an error inside a 200 answer); its fields check the caller
        // themselves, and GraphQLFields below holds each to the REST route it mirrors.
        new("POST", "/graphql", (_, _) => Json(HttpMethod.Post, "/graphql", new { query = "{ datasets(first: 1) { items { id } } }" }), 200, 200, 200, 200, 200),
        new("GET", "/graphql", (_, _) => Get("/graphql?query=" + Uri.EscapeDataString("{ datasets(first: 1) { items { id } } }")), 200, 200, 200, 200, 200),
        new("GET", "/graphql/schema.graphql", (_, _) => Get("/graphql/schema.graphql"), 200, 200, 200, 200, 200),
    ];

    /// <summary>
    /// GraphQL fields and the REST route each mirrors: for every caller, a field answers without error where the route answers
    /// 2xx, and otherwise with an error whose <c>extensions.status</c> is the route's status in the table above.
    /// </summary>
    private static readonly (string Query, string Route)[] GraphQLFields =
    [
        ("""{ dataset(id: "ningbo-villages") { records(first: 1) { items } } }""", "GET /v1/datasets/{id}/records"),
        ("""{ dataset(id: "matrix-data") { aggregate(groupBy: ["n"], measures: ["count", "sum(n)"]) { groups disclosure } } }""", "GET /v1/datasets/{id}/aggregate"),
        ("{ datasets(first: 1) { items { id columns { name visibility } access } } }", "GET /v1/datasets"),
        ("""mutation { requestAccess(datasetId: "ningbo-villages", purpose: "p", durationDays: 1) { id } }""", "POST /v1/access-requests"),
        ("{ accessRequests { id } }", "GET /v1/access-requests"),
        ("""{ accessRequest(id: "ar_none") { id } }""", "GET /v1/access-requests/{id}"),
        ("""mutation { decideAccessRequest(id: "ar_none", decision: approve, reason: "r") { id } }""", "POST /v1/access-requests/{id}/decision"),
        ("""mutation { withdrawAccessRequest(id: "ar_none") { id } }""", "POST /v1/access-requests/{id}/withdraw"),
        ("""mutation { resubmitAccessRequest(id: "ar_none") { id } }""", "POST /v1/access-requests/{id}/resubmit"),
        ("{ grants { id } }", "GET /v1/grants"),
        ("""mutation { verify(datasetId: "matrix-data", records: [{n: 1}]) { match } }""", "POST /v1/datasets/{id}/verify"),
        ("""mutation { revokeGrant(id: "gr_none", reason: "r") { id } }""", "POST /v1/grants/{id}/revoke"),
        ("""mutation { scoreEntry(contestId: "matrix-none", entry: "e_x", scores: [{criterion: "innovation", score: 1}], comment: "c") { total } }""",
            "POST /v1/contests/{id}/scores"),
    ];

    [DatabaseTheory, OnEachDatabase]
    public async Task Every_endpoint_answers_each_kind_of_caller_as_the_table_says(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var endpoints = host.Endpoints
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(m => $"{m} /{e.RoutePattern.RawText?.TrimStart('/')}"))
            .ToHashSet();
        var entries = Matrix.Select(e => $"{e.Method} {e.Route}").ToHashSet();
        Assert.True(endpoints.SetEquals(entries),
            $"endpoints without an entry: {string.Join("; ", endpoints.Except(entries))}; entries without an endpoint: {string.Join("; ", entries.Except(endpoints))}");

        var op = host.As("platform", "catalogue:read", "records:read", "access:request", "datasets:write", "access:review", "tenant:admin", "platform:admin");
        await op.PostAsJsonAsync("/v1/tenants", new { id = A, name = "A", kind = "consumer" });
        await op.PostAsJsonAsync("/v1/tenants", new { id = B, name = "B", kind = "consumer" });
        var app = await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{A}/apps", new { name = "a" }), HttpStatusCode.Created);
        var owner = host.As(Owner, OwnerScopes);
        await host.CreateDatasetAsync(owner, "matrix-data", "open", ("n", "integer"));
        var job = await host.UploadAsync(owner, "matrix-data", "n\n1\n");
        var ids = new Ids(app["id"]!.GetValue<string>(), job.GetProperty("id").GetString()!);

        var callers = new (string Name, HttpClient Client, Func<Entry, int> Expected)[]
        {
            ("anonymous", host.Anonymous(), e => e.Anonymous),
            ("consumer", host.As(A, ConsumerScopes), e => e.Consumer),
            ("other", host.As(B, ConsumerScopes), e => e.Other),
            ("owner", owner, e => e.Owner),
            ("operator", op, e => e.Operator),
        };
        var failures = new List<string>();
        foreach (var entry in Matrix)
        {
            foreach (var (name, client, expected) in callers)
            {
                using var request = entry.Request(ids, name);
                var response = await client.SendAsync(request);
                if ((int)response.StatusCode != expected(entry))
                {
                    failures.Add($"{entry.Method} {entry.Route} as {name}: expected {expected(entry)}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
        foreach (var (query, route) in GraphQLFields)
        {
            var entry = Matrix.Single(e => $"{e.Method} {e.Route}" == route);
            foreach (var (name, client, expected) in callers)
            {
                var response = await client.PostAsync("/graphql", JsonContent.Create(new { query }));
                var text = await response.Content.ReadAsStringAsync();
                var errors = System.Text.Json.Nodes.JsonNode.Parse(text)?["errors"]?.AsArray() ?? [];
                var status = expected(entry);
                var ok = response.StatusCode == HttpStatusCode.OK && (status < 300
                    ? errors.Count == 0
                    : errors.Count == 1 && errors[0]?["extensions"]?["status"]?.GetValue<int>() == status);
                if (!ok)
                {
                    failures.Add($"GraphQL {query} as {name}: expected {(status < 300 ? "no error" : $"an error of status {status}")} as {route}, got {(int)response.StatusCode} {text}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
