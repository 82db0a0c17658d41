using System.Text.RegularExpressions;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Architecture;

/// <summary>
/// One owner per table: a module's SQL (the string literals of its source) names only its own tables; anything else goes through
/// the owner's contract. The few crossings that remain are listed below with the reason and stay until their contract exists.
/// </summary>
public sealed partial class TableOwnershipTests
{
    /// <summary>Every table of the migrations and the module that owns it (docs/architecture.md has the same table).</summary>
    public static readonly IReadOnlyDictionary<string, string> Owner = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["organisations"] = "Catalogue",
        ["themes"] = "Catalogue",
        ["datasets"] = "Catalogue",
        ["dataset_columns"] = "Catalogue",
        ["dataset_versions"] = "Catalogue",
        ["tag_suggestions"] = "Catalogue",
        ["ingestion_jobs"] = "Ingestion",
        ["ingestion_uploads"] = "Ingestion",
        ["tenants"] = "Tenancy",
        ["members"] = "Tenancy",
        ["apps"] = "Tenancy",
        ["auth_keys"] = "Identity",
        ["platform_secrets"] = "Identity",
        ["revoked_tokens"] = "Auth",
        ["redeemed_tokens"] = "Auth",
        ["quota_leases"] = "Quotas",
        ["usage_daily"] = "Quotas",
        ["request_log"] = "Quotas",
        ["access_requests"] = "Access",
        ["access_request_events"] = "Access",
        ["grants"] = "Access",
        ["aggregate_access"] = "Analytics",
        ["aggregate_queries"] = "Analytics",
        ["analysis_jobs"] = "Analytics",
        ["audit_log"] = "Audit",
        ["audit_head"] = "Audit",
        ["webhooks"] = "Webhooks",
        ["webhook_deliveries"] = "Webhooks",
        ["usage_anomalies"] = "Monitoring",
        ["verifications"] = "Analytics",
        ["verification_days"] = "Analytics",
        ["outbound_masks"] = "Monitoring",
        ["sandbox_twins"] = "Sandbox",
        ["sandbox_reads"] = "Sandbox",
        ["sandbox_promotions"] = "Sandbox",
        ["contests"] = "Sandbox",
        ["contest_teams"] = "Sandbox",
        ["contest_team_members"] = "Sandbox",
        ["contest_attachments"] = "Sandbox",
        ["contest_submissions"] = "Sandbox",
        ["contest_judges"] = "Sandbox",
        ["contest_scores"] = "Sandbox",
        ["contest_results"] = "Sandbox",
        ["dataset_sources"] = "Catalogue",
        ["provider_licences"] = "Marketplace",
        ["products"] = "Marketplace",
        ["product_agreements"] = "Marketplace",
        ["subscriptions"] = "Marketplace",
        ["subscription_periods"] = "Marketplace",
        ["statement_lines"] = "Marketplace",
        ["statement_months"] = "Marketplace",
        ["statement_adjustments"] = "Marketplace",
    };

    /// <summary>Crossings not yet behind a contract: (module, table) → why, and what replaces it.</summary>
    public static readonly IReadOnlyDictionary<(string Module, string Table), string> KnownCrossings = new Dictionary<(string, string), string>
    {
    };

    [Fact]
    public void Every_table_of_the_migrations_has_an_owner()
    {
        var created = Migrations().SelectMany(m => CreateTable().Matches(m).Select(x => x.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(created);
        Assert.DoesNotContain(created, t => !Owner.ContainsKey(t));
        Assert.DoesNotContain(Owner.Keys, t => !created.Contains(t));
    }

    [Fact]
    public void A_module_names_only_its_own_tables_in_its_sql()
    {
        var found = Crossings();
        var unexpected = found.Where(c => !KnownCrossings.ContainsKey((c.Module, c.Table))).Select(c => $"{c.Module} names {c.Table} (owned by {Owner[c.Table]}) in {c.File}").ToList();
        Assert.True(unexpected.Count == 0, "SQL naming another module's table (go through the owner's contract):\n" + string.Join("\n", unexpected));
        var settled = KnownCrossings.Keys.Where(k => !found.Any(c => c.Module == k.Module && c.Table == k.Table)).Select(k => $"{k.Module} → {k.Table}").ToList();
        Assert.True(settled.Count == 0, "crossings that no longer happen (remove them from KnownCrossings and docs/architecture.md): " + string.Join(", ", settled));
    }

    [Fact]
    public void The_scan_finds_sql_in_every_literal_form_the_code_uses()
    {
        // The scan must see raw string literals, interpolated and verbatim strings, or a crossing could hide in one.
        Assert.Equal(["grants"], Tables("""var sql = $"UPDATE grants SET revoked_at = @now WHERE id = @id";"""));
        Assert.Equal(["apps"], Tables("x = \"\"\"\n    SELECT tenant_id\n    FROM apps\n    WHERE id = 1\n    \"\"\";"));
        Assert.Equal(["tenants"], Tables("x = @\"INSERT INTO tenants (id) VALUES (@id)\";"));
        Assert.Empty(Tables("// a comment about the apps table: FROM apps\nvar y = 1;"));
    }

    /// <summary>The sandbox's assembly is one module (Sandbox) of its own folder; the platform's modules are its folders.</summary>
    private static readonly string SandboxRoot = Path.Combine(RepositoryRoot.Path, "sandbox", "OpenData.Sandbox");

    private static List<(string Module, string Table, string File)> Crossings()
    {
        var root = Path.Combine(RepositoryRoot.Path, "api", "OpenData.Platform");
        var list = new List<(string, string, string)>();
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).Select(f => (File: f, Relative: Path.GetRelativePath(root, f), Sandbox: false))
            .Concat(Directory.EnumerateFiles(SandboxRoot, "*.cs", SearchOption.AllDirectories).Select(f => (File: f, Relative: Path.GetRelativePath(SandboxRoot, f), Sandbox: true)));
        foreach (var (file, relative, sandbox) in files)
        {
            var first = relative.Split(Path.DirectorySeparatorChar)[0];
            if (first is "bin" or "obj")
            {
                continue;
            }
            var module = sandbox ? "Sandbox" : first;
            foreach (var table in Tables(File.ReadAllText(file)))
            {
                if (Owner[table] != module)
                {
                    list.Add((module, table, relative));
                }
            }
        }
        return list;
    }

    /// <summary>Tables named after FROM, JOIN, INTO, UPDATE or TABLE inside the string literals of a C# source text.</summary>
    private static List<string> Tables(string source)
    {
        var literals = string.Join("\n", Literal().Matches(LineComment().Replace(source, "")).Select(m => m.Value));
        return SqlTable().Matches(literals).Select(m => m.Groups[1].Value).Where(Owner.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Migrations() => MigrationFiles().Select(f => File.ReadAllText(f.Path));

    /// <summary>Every migration file of the platform (<c>&lt;Module&gt;/Migrations/&lt;dialect&gt;/NNNN_name.sql</c>) with its module and number.</summary>
    private static List<(string Module, int Number, string Path)> MigrationFiles()
    {
        var root = System.IO.Path.Combine(RepositoryRoot.Path, "api", "OpenData.Platform");
        var platform = Directory.EnumerateFiles(root, "*.sql", SearchOption.AllDirectories)
            .Select(path => (Parts: System.IO.Path.GetRelativePath(root, path).Split(System.IO.Path.DirectorySeparatorChar), Path: path))
            .Where(f => f.Parts is [_, "Migrations", _, _])
            .Select(f => (f.Parts[0], int.Parse(f.Parts[3].AsSpan(0, 4), System.Globalization.CultureInfo.InvariantCulture), f.Path));
        // The sandbox's assembly keeps its migrations at its root: Migrations/<dialect>/NNNN_name.sql.
        var sandbox = Directory.EnumerateFiles(System.IO.Path.Combine(SandboxRoot, "Migrations"), "*.sql", SearchOption.AllDirectories)
            .Select(path => ("Sandbox", int.Parse(System.IO.Path.GetFileName(path).AsSpan(0, 4), System.Globalization.CultureInfo.InvariantCulture), path));
        return [.. platform, .. sandbox];
    }

    /// <summary>
    /// Migrations up to this number were written before migrations moved beside their owners; a deployed store has applied them, so
    /// they stay as they were (0001 creates the ingestion jobs, 0004 a secret and the tag suggestions, 0008 alters grants).
    /// </summary>
    private const int LastSharedMigration = 10;

    [Fact]
    public void A_migration_lives_with_the_module_that_owns_every_table_it_creates_or_alters()
    {
        var files = MigrationFiles();
        Assert.Contains(files, f => f.Number > LastSharedMigration);
        Assert.DoesNotContain(files, f => f.Path.Contains($"{System.IO.Path.DirectorySeparatorChar}Storage{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var wrong = files.Where(f => f.Number > LastSharedMigration)
            .SelectMany(f => DefinedTable().Matches(File.ReadAllText(f.Path)).Select(m => m.Groups[1].Value)
                .Where(t => Owner.GetValueOrDefault(t) != f.Module)
                .Select(t => $"{System.IO.Path.GetFileName(f.Path)} in {f.Module}/ defines {t}, owned by {Owner.GetValueOrDefault(t) ?? "nobody"}"))
            .ToList();
        Assert.True(wrong.Count == 0, "a migration defines another module's table (move it beside the owner):\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void The_migration_scan_sees_creates_alters_and_indexes()
    {
        Assert.Equal(["grants", "apps", "webhooks"], DefinedTable().Matches(
            "ALTER TABLE grants ADD COLUMN x text;\nCREATE TABLE IF NOT EXISTS apps (id text);\nCREATE UNIQUE INDEX ix ON webhooks (url);").Select(m => m.Groups[1].Value));
    }

    [GeneratedRegex(@"(?i)\b(?:CREATE TABLE (?:IF NOT EXISTS )?|ALTER TABLE |CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?[a-z_0-9]+ ON )([a-z_]+)")]
    private static partial Regex DefinedTable();

    [GeneratedRegex(@"(?s)"""""".*?""""""|@?\$?@?""(?:[^""\\\n]|\\.|"""")*""")]
    private static partial Regex Literal();

    [GeneratedRegex(@"(?m)^\s*//.*$")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"(?i)\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+""?([a-z_]+)\b")]
    private static partial Regex SqlTable();

    [GeneratedRegex(@"CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)")]
    private static partial Regex CreateTable();
}
