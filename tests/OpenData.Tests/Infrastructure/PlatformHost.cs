using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace OpenData.Tests.Infrastructure;

/// <summary>
/// A real platform host on real Kestrel, over a fresh SQLite file or a fresh PostgreSQL database, seeded as on first start.
/// Offers intent methods and HTTP clients, never the service container.
/// </summary>
public sealed class PlatformHost : IAsyncDisposable
{
    private readonly Factory _factory;
    private readonly string _directory;
    private readonly string? _postgres;

    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsStore = true;
    private readonly CallerTokens _callers;

    /// <summary>The operator app of a host outside Development, unless a test names its own (Development has the demo operator).</summary>
    private const string OperatorClientId = "tests-operator";
    private const string OperatorSecret = "tests-operator-secret-0123456789";

    private PlatformHost(Factory factory, string directory, string? postgres, string database, Dictionary<string, string?> settings, bool ownsStore = true,
        TimeProvider? clock = null)
    {
        _ownsStore = ownsStore;
        _factory = factory;
        _directory = directory;
        _postgres = postgres;
        _settings = settings;
        Database = database;
        // The operator the host itself bootstrapped, from its own configuration (appsettings.Development.json, or the test's settings).
        var configuration = factory.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        _callers = new CallerTokens(() => _factory.CreateDefaultClient(_factory.ClientOptions.BaseAddress), clock ?? TimeProvider.System,
            configuration["OpenData:Operator:ClientId"] ?? "", configuration["OpenData:Operator:ClientSecret"] ?? "");
    }

    public string Database { get; }

    public Uri BaseAddress => _factory.ClientOptions.BaseAddress;

    /// <summary>
    /// The host's routes as its endpoint metadata describes them (for tests about every endpoint at once). The portal's static
    /// files are left out: the framework serves them from the build's manifest (tests/OpenData.Tests/Portal checks them).
    /// </summary>
    public IReadOnlyList<Microsoft.AspNetCore.Routing.RouteEndpoint> Endpoints =>
        _factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<OpenData.Portal.PortalStaticFile>() is null)
            .ToList();

    /// <summary>The portal's static files (vendored libraries, CSS, JS), as routes.</summary>
    public IReadOnlyList<Microsoft.AspNetCore.Routing.RouteEndpoint> StaticFiles =>
        _factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<OpenData.Portal.PortalStaticFile>() is not null)
            .ToList();

    /// <summary>The PostgreSQL connection string of this host's database, or null on SQLite.</summary>
    public string? ConnectionString => _postgres;

    /// <summary>The folder that holds this host's SQLite file and upload spools.</summary>
    public string DataDirectory => _directory;

    /// <summary>The policies folder this host reads (for operator commands that must see the same one).</summary>
    public string? PoliciesDirectory => _settings.GetValueOrDefault("OpenData:Policies:Directory");

    /// <param name="routeStore">Rewrites the host's PostgreSQL connection string (a test's relay in front of the server); the test's own
    /// <see cref="ConnectionString"/> stays direct.</param>
    public static async Task<PlatformHost> StartAsync(string database, IDictionary<string, string?>? settings = null, string environment = "Development", TimeProvider? clock = null,
        Func<string, string>? routeStore = null)
    {
        // A folder of this user's own (0700), never a shared parent another user's run may have made.
        var directory = Directory.CreateTempSubdirectory("opendata-test-").FullName;
        string? postgres = null;
        var all = new Dictionary<string, string?>
        {
            ["OpenData:Database:DataDirectory"] = directory,
            ["OpenData:Database:Provider"] = database,
            ["environment"] = environment,
            // Twins of new versions are looked for often, so a test reading the sandbox waits for its twin briefly.
            ["OpenData:Sandbox:PollInterval"] = "00:00:00.200",
            // Analysis jobs are picked up quickly, so a test waits for the checked outputs briefly.
            ["OpenData:AnalysisJobs:PollInterval"] = "00:00:00.200",
        };
        if (settings?.ContainsKey("OpenData:Policies:Directory") != true)
        {
            all["OpenData:Policies:Directory"] = TestPolicies.Folder();
        }
        if (database == Db.Postgres)
        {
            postgres = await PostgresServer.CreateDatabaseAsync();
            all["ConnectionStrings:OpenData"] = routeStore is null ? postgres : routeStore(postgres);
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        // A test may put the data folder elsewhere (a small file system that fills up): the host's store is read from there.
        if (all["OpenData:Database:DataDirectory"] is { } elsewhere && elsewhere != directory)
        {
            Directory.Delete(directory);
            directory = elsewhere;
        }
        return new PlatformHost(Start(all, clock), directory, postgres, database, all, clock: clock);
    }

    private static Factory Start(Dictionary<string, string?> settings, TimeProvider? clock = null)
    {
        if (settings.GetValueOrDefault("environment") is { } environment && environment != "Development")
        {
            // Outside Development the host wants its issuer and host names said (a test may say otherwise, or null).
            settings.TryAdd("OpenData:Auth:Issuer", "http://localhost/");
            settings.TryAdd("AllowedHosts", "localhost;127.0.0.1");
            // And an operator of its own (Development's is the demo operator): the callers of As/AsIn/Owner are created through its API.
            settings.TryAdd("OpenData:Operator:ClientId", OperatorClientId);
            settings.TryAdd("OpenData:Operator:ClientSecret", OperatorSecret);
        }
        var factory = new Factory(settings, clock);
        factory.UseKestrel(0);
        factory.StartServer();
        return factory;
    }

    /// <summary>Stops this host gracefully and starts a new one on the same store and data folder, as a redeploy would.</summary>
    public async Task<PlatformHost> RestartAsync(Func<Task>? whileStopped = null, string? environment = null, IDictionary<string, string?>? changes = null)
    {
        await _factory.DisposeAsync();
        if (whileStopped is not null)
        {
            await whileStopped();
        }
        var settings = new Dictionary<string, string?>(_settings);
        if (environment is not null)
        {
            settings["environment"] = environment;
        }
        foreach (var (key, value) in changes ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return new PlatformHost(Start(settings), _directory, _postgres, Database, settings);
    }

    /// <summary>
    /// Stops this node (its server and its workers) and leaves the store to its peers, as a node taken out of a cluster; a peer
    /// started from it afterwards runs on the same store. Disposing the host later removes the store as usual.
    /// </summary>
    public async Task StopNodeAsync() => await _factory.DisposeAsync();

    /// <summary>A second node on the same store and data folder, as behind a load balancer; disposing it leaves the store alone.</summary>
    public Task<PlatformHost> StartPeerAsync() =>
        Task.FromResult(new PlatformHost(Start(_settings), _directory, _postgres, Database, _settings, ownsStore: false));

    /// <summary>
    /// Signs an access token with the platform's own signing key and the given claims, as a component holding the key (or
    /// an attacker who stole it) would: for tests that the API still refuses a well-signed token without an expiry, one not
    /// valid yet, or one meant for another audience.
    /// </summary>
    public string SignAccessToken(IDictionary<string, object> claims)
    {
        var key = _factory.Services.GetRequiredService<OpenData.Platform.Identity.KeyRing>().SigningKeys[0];
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Claims = claims,
            TokenType = "at+jwt",
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(key, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>
    /// A client whose token is well signed but says what the token server never issues (no tenant, or scopes the tenant's kind
    /// may not hold): for tests that the API's own checks refuse it anyway. Not a way around <see cref="As"/>: every caller
    /// production can produce comes from there.
    /// </summary>
    public async Task<HttpClient> ForgedAsync(string? tenant, params string[] scopes)
    {
        var discovery = await ReadJsonAsync(await Anonymous().GetAsync("/.well-known/openid-configuration"));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = discovery["issuer"]!.GetValue<string>(), ["aud"] = "opendata", ["iat"] = now, ["exp"] = now + 3600,
            ["jti"] = Guid.NewGuid().ToString("N"), ["sub"] = "forged", ["client_id"] = "forged", ["env"] = "live", ["scope"] = string.Join(' ', scopes),
        };
        if (tenant is not null)
        {
            claims["tenant"] = tenant;
        }
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SignAccessToken(claims));
        return client;
    }

    /// <summary>Adds a cursor-sealing key to the store, as the operator's <c>rotate-keys</c> does; returns its id.</summary>
    /// <summary>A service of the running host (for tests that append to the trail as a module would, rather than through the store).</summary>
    public T Required<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

    public int RotateCursorKey() => _factory.Services.GetRequiredService<OpenData.Platform.Identity.KeyRing>().RotateCursorKey();

    /// <summary>Runs SQL against this host's store directly (for tests that simulate a crash or tamper with data).</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = await OpenStoreAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Reads one value straight from this host's store (for tests that check what is kept at rest).</summary>
    public async Task<object?> QueryScalarAsync(string sql)
    {
        await using var connection = await OpenStoreAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>A connection to this host's store with the database owner's rights (for tests that act as someone who can write the database).</summary>
    public async Task<System.Data.Common.DbConnection> OpenStoreAsync()
    {
        System.Data.Common.DbConnection connection = _postgres is not null
            ? new Npgsql.NpgsqlConnection(_postgres)
            : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_directory, "opendata.db")}");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A client with no credentials: the anonymous caller.</summary>
    public HttpClient Anonymous()
    {
        var client = _factory.CreateDefaultClient(_factory.ClientOptions.BaseAddress, new ContractCheckingHandler());
        client.DefaultRequestHeaders.Accept.Clear();
        return client;
    }

    /// <summary>
    /// A client acting for an app of <paramref name="tenant"/> holding exactly <paramref name="scopes"/>, with a real
    /// client-credentials token (see <see cref="CallerTokens"/>): the tenant and app are created through the API as needed.
    /// </summary>
    public HttpClient As(string tenant, params string[] scopes) => AsIn("live", tenant, scopes);

    /// <summary>
    /// As <see cref="As"/>, with an app registered in the given environment (<c>live</c> or <c>sandbox</c>), as
    /// <c>POST /v1/tenants/{id}/apps</c> takes it: a sandbox app's tokens carry <c>env: sandbox</c>.
    /// </summary>
    public HttpClient AsIn(string environment, string tenant, params string[] scopes)
    {
        var wanted = scopes.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        // A token request naming no scope gets all of its app's: the platform issues no token without scopes.
        ArgumentOutOfRangeException.ThrowIfZero(wanted.Length, nameof(scopes));
        var client = _factory.CreateDefaultClient(_factory.ClientOptions.BaseAddress, new ContractCheckingHandler(),
            new BearerTokenHandler(cancellationToken => _callers.TokenAsync(tenant, environment, wanted, cancellationToken)));
        client.DefaultRequestHeaders.Accept.Clear();
        return client;
    }

    /// <summary>A data owner that may publish (datasets:write).</summary>
    public HttpClient Owner(string organisation = "ningbo-civil-affairs") => As(organisation, "datasets:write", "catalogue:read", "records:read");

    /// <summary>Creates a dataset as its owner; fails the test unless 201.</summary>
    public async Task CreateDatasetAsync(HttpClient owner, string id, string classification, params (string Name, string Type)[] columns)
    {
        var body = new
        {
            id,
            title = $"Test dataset {id}",
            description = "created by a test",
            theme = "public-services",
            classification,
            license = "CC-BY-4.0",
            updateFrequency = "irregular",
            columns = columns.Select(c => new { name = c.Name, type = c.Type }).ToArray(),
        };
        var response = await owner.PostAsJsonAsync("/v1/datasets", body);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Uploads CSV as a new version and waits for the job to end; returns the final job.</summary>
    public async Task<JsonElement> UploadAsync(HttpClient owner, string datasetId, byte[] csv, string contentType = "text/csv")
    {
        using var content = new ByteArrayContent(csv);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var response = await owner.PostAsync($"/v1/datasets/{datasetId}/versions", content);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        Assert.NotNull(response.Headers.Location);
        return await WaitForJobAsync(owner, response.Headers.Location!.ToString());
    }

    public Task<JsonElement> UploadAsync(HttpClient owner, string datasetId, string csv) => UploadAsync(owner, datasetId, Encoding.UTF8.GetBytes(csv));

    public static async Task<JsonElement> WaitForJobAsync(HttpClient owner, string location)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var job = await owner.GetFromJsonAsync<JsonElement>(location);
            var status = job.GetProperty("status").GetString();
            if (status is "succeeded" or "failed")
            {
                return job;
            }
            Assert.True(DateTime.UtcNow < deadline, $"ingestion still {status} after 120 s");
            await Task.Delay(50);
        }
    }

    /// <summary>Reads a JSON body, failing with the body when the status is not the one expected.</summary>
    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response, System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Stops the host gracefully, as a shutdown signal would.</summary>
    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        if (!_ownsStore)
        {
            return;
        }
        if (_postgres is not null)
        {
            await PostgresServer.DropDatabaseAsync(_postgres);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class Factory(Dictionary<string, string?> settings, TimeProvider? clock) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(settings.GetValueOrDefault("environment") ?? "Development");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureTestServices(services =>
            {
                if (clock is not null)
                {
                    // A test's own clock (FakeTimeProvider): expiry and quota days move when the test says so.
                    services.AddSingleton(clock);
                }
            });
        }
    }
}
