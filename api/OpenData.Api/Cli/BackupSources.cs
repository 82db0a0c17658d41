using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OpenData.Platform.Audit;
using OpenData.Platform.Policies;
using OpenData.Platform.Storage;

namespace OpenData.Api.Cli;

/// <summary>
/// Where the state a backup must carry lives, as the host's configuration says: the database, the key-encryption key (a file
/// in the data folder unless configuration holds it), the Data Protection keys, the audit checkpoints and the policies folder.
/// Reading these never creates anything, unlike the key ring, which makes a KEK when none is found.
/// </summary>
internal sealed class BackupSources
{
    public const string KekFileName = "auth-kek.bin";
    public const string DataProtectionFolder = "dataprotection-keys";
    public const string CheckpointsFileName = "audit-checkpoints.jsonl";
    public const string PoliciesFolder = "policies";

    public BackupSources(IServiceProvider services)
    {
        var database = services.GetRequiredService<Database>();
        var options = services.GetRequiredService<DatabaseOptions>();
        var configuration = services.GetRequiredService<IConfiguration>();
        Provider = database.Provider;
        Description = database.Description;
        SqliteFile = database.SqliteFile;
        ConnectionString = options.ConnectionString;
        DataDirectory = Path.GetFullPath(options.DataDirectory);
        KekFile = Path.Combine(DataDirectory, KekFileName);
        ConfiguredKek = configuration["OpenData:Auth:KeyEncryptionKey"] is { Length: > 0 } kek ? kek : null;
        DataProtectionKeys = Path.Combine(DataDirectory, DataProtectionFolder);
        Checkpoints = Path.GetFullPath(services.GetRequiredService<IOptions<AuditOptions>>().Value.CheckpointFile ?? Path.Combine(DataDirectory, CheckpointsFileName));
        Policies = Path.GetFullPath(services.GetRequiredService<IOptions<PolicyOptions>>().Value.ResolvedDirectory);
    }

    public DatabaseProvider Provider { get; }

    public string ProviderName => Provider == DatabaseProvider.Postgres ? "postgres" : "sqlite";

    public string Description { get; }

    public string? SqliteFile { get; }

    public string? ConnectionString { get; }

    public string DataDirectory { get; }

    public string KekFile { get; }

    /// <summary>The base64 KEK from <c>OpenData:Auth:KeyEncryptionKey</c>, which wins over the file when both exist.</summary>
    public string? ConfiguredKek { get; }

    public string DataProtectionKeys { get; }

    public string Checkpoints { get; }

    public string Policies { get; }

    /// <summary>Where the KEK the platform would run with comes from: <c>configuration</c>, <c>file</c> or <c>none</c> yet.</summary>
    public string KekSource => ConfiguredKek is not null ? "configuration" : File.Exists(KekFile) ? "file" : "none";

    /// <summary>The fingerprint of the KEK the platform would run with, or null when there is none yet.</summary>
    public string? KekId() => ConfiguredKek is not null
        ? KekIdOf(Convert.FromBase64String(ConfiguredKek))
        : File.Exists(KekFile) ? KekIdOf(File.ReadAllBytes(KekFile)) : null;

    /// <summary>
    /// A fingerprint that names a KEK without revealing it: a digest of a key derived for this purpose alone, so it says
    /// nothing about the keys the platform derives from the KEK for its own uses.
    /// </summary>
    public static string KekIdOf(byte[] kek)
    {
        var derived = HKDF.DeriveKey(HashAlgorithmName.SHA256, kek, 32, info: "opendata/backup-kek-fingerprint"u8.ToArray());
        try
        {
            return "kek-" + Convert.ToHexStringLower(SHA256.HashData(derived)).AsSpan(0, 16).ToString();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
            CryptographicOperations.ZeroMemory(kek);
        }
    }
}
