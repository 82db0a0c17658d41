using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Identity;

/// <summary>
/// The token server's keys: an ECDSA P-256 signing key and an AES-256 encryption key, generated on first start and kept
/// in <c>auth_keys</c> with their material sealed by AES-GCM under a key-encryption key
/// (<c>OpenData:Auth:KeyEncryptionKey</c>, base64 of 32 bytes; without it one is generated into the data folder, which
/// suits a single node). Rotation adds a new signing key that signs from then on; older ones keep validating.
/// </summary>
internal sealed class KeyRing(Database database, DatabaseOptions databaseOptions, IConfiguration configuration, TimeProvider clock, ILogger<KeyRing> logger)
{
    private readonly Lock _gate = new();
    private List<SecurityKey>? _signing;
    private List<SecurityKey>? _encryption;

    private DateTimeOffset? _signingCreatedAt;

    /// <summary>When the signing key that signs (the newest) was made, once the keys are loaded; monitoring counts its age from it.</summary>
    public DateTimeOffset? SigningKeyCreatedAt
    {
        get
        {
            lock (_gate)
            {
                return _signingCreatedAt;
            }
        }
    }

    /// <summary>Signing keys, newest first: the first signs, all validate.</summary>
    public IReadOnlyList<SecurityKey> SigningKeys
    {
        get
        {
            EnsureLoaded();
            return _signing!;
        }
    }

    public IReadOnlyList<SecurityKey> EncryptionKeys
    {
        get
        {
            EnsureLoaded();
            return _encryption!;
        }
    }

    public void EnsureLoaded()
    {
        lock (_gate)
        {
            if (_signing is not null)
            {
                return;
            }
            var kek = KeyEncryptionKey();
            using var connection = database.Open();
            var rows = connection.Query<KeyRow>("SELECT kid, kind, material, created_at FROM auth_keys WHERE retired_at IS NULL ORDER BY created_at DESC").ToList();
            if (!rows.Exists(r => r.Kind == "signing"))
            {
                rows.Insert(0, Create(connection, "signing", kek));
            }
            if (!rows.Exists(r => r.Kind == "encryption"))
            {
                rows.Add(Create(connection, "encryption", kek));
            }
            _signing = rows.Where(r => r.Kind == "signing").Select(r => (SecurityKey)ToSigningKey(r, kek)).ToList();
            _signingCreatedAt = rows.First(r => r.Kind == "signing").CreatedAt;
            _encryption = rows.Where(r => r.Kind == "encryption").Select(r => (SecurityKey)new SymmetricSecurityKey(Unseal(r.Material, kek)) { KeyId = r.Kid }).ToList();
        }
    }

    /// <summary>Adds a new signing key; it signs after the next start of each node, older keys keep validating.</summary>
    public string Rotate()
    {
        using var connection = database.Open();
        var row = Create(connection, "signing", KeyEncryptionKey());
        lock (_gate)
        {
            _signing = null;
            _encryption = null;
        }
        return row.Kid;
    }

    /// <summary>
    /// A 32-byte platform secret of <paramref name="kind"/> (for example the pseudonymisation master key), generated on first use,
    /// sealed like the token keys and never rotated: values derived from it must stay stable. Nodes racing on the first start
    /// insert at most one row (the kind is the key), and all of them read that one.
    /// </summary>
    public byte[] SharedSecret(string kind)
    {
        var kek = KeyEncryptionKey();
        using var connection = database.Open();
        var material = RandomNumberGenerator.GetBytes(32);
        connection.Execute(
            "INSERT INTO platform_secrets (kind, material, created_at) VALUES (@kind, @material, @now) ON CONFLICT (kind) DO NOTHING",
            new { kind, material = Seal(material, kek), now = clock.GetUtcNow() });
        CryptographicOperations.ZeroMemory(material);
        return Unseal(connection.QuerySingle<string>("SELECT material FROM platform_secrets WHERE kind = @kind", new { kind }), kek);
    }

    /// <summary>
    /// The keys that seal cursors (AES-256-GCM), newest first: <c>cursor:N</c> rows of <c>platform_secrets</c>, sealed like the
    /// token keys and shared by every node through the store. The newest seals; older ones keep opening the cursors they sealed.
    /// The first is made on first use; <see cref="RotateCursorKey"/> adds the next.
    /// </summary>
    public IReadOnlyList<(int Id, byte[] Key)> CursorKeys()
    {
        var kek = KeyEncryptionKey();
        using var connection = database.Open();
        var rows = ReadCursorKeys(connection);
        if (rows.Count == 0)
        {
            _ = SharedSecret("cursor:1");
            rows = ReadCursorKeys(connection);
        }
        return rows.Select(r => (r.Id, Unseal(r.Material, kek))).ToList();
    }

    /// <summary>Adds a cursor key that seals from the next time each node reads the keys; the older keys keep opening.</summary>
    public int RotateCursorKey()
    {
        using var connection = database.Open();
        var rows = ReadCursorKeys(connection);
        var id = rows.Count == 0 ? 1 : rows[0].Id + 1;
        _ = SharedSecret("cursor:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return id;
    }

    private static List<(int Id, string Material)> ReadCursorKeys(System.Data.Common.DbConnection connection) =>
        connection.Query<(string Kind, string Material)>("SELECT kind, material FROM platform_secrets WHERE kind LIKE 'cursor:%'")
            .Select(r => (Id: int.Parse(r.Kind.AsSpan(7), System.Globalization.CultureInfo.InvariantCulture), r.Material))
            .OrderByDescending(r => r.Id)
            .ToList();

    /// <summary>
    /// A 32-byte key for <paramref name="purpose"/> derived (HKDF-SHA256) from the key-encryption key and kept nowhere: not in the
    /// store, so whoever can only write the database can neither read nor replace it. Stable for as long as the KEK is.
    /// </summary>
    public byte[] DeriveKey(string purpose)
    {
        var kek = KeyEncryptionKey();
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, kek, 32, info: System.Text.Encoding.UTF8.GetBytes("opendata/" + purpose));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <summary>Seals a secret the platform must read back later (a webhook's signing secret) under the key-encryption key.</summary>
    public string SealText(string secret) => Seal(System.Text.Encoding.UTF8.GetBytes(secret), KeyEncryptionKey());

    public string UnsealText(string material) => System.Text.Encoding.UTF8.GetString(Unseal(material, KeyEncryptionKey()));

    private KeyRow Create(System.Data.Common.DbConnection connection, string kind, byte[] kek)
    {
        byte[] material;
        if (kind == "signing")
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            material = ec.ExportECPrivateKey();
        }
        else
        {
            material = RandomNumberGenerator.GetBytes(32);
        }
        var row = new KeyRow
        {
            Kid = (kind == "signing" ? "sig-" : "enc-") + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            Kind = kind,
            Material = Seal(material, kek),
            CreatedAt = clock.GetUtcNow(),
        };
        CryptographicOperations.ZeroMemory(material);
        connection.Execute("INSERT INTO auth_keys (kid, kind, material, created_at) VALUES (@Kid, @Kind, @Material, @CreatedAt)", row);
        logger.LogInformation("Generated {Kind} key {Kid}", kind, row.Kid);
        return row;
    }

    private static ECDsaSecurityKey ToSigningKey(KeyRow row, byte[] kek)
    {
        var ec = ECDsa.Create();
        ec.ImportECPrivateKey(Unseal(row.Material, kek), out _);
        return new ECDsaSecurityKey(ec) { KeyId = row.Kid };
    }

    private byte[] KeyEncryptionKey()
    {
        var configured = configuration["OpenData:Auth:KeyEncryptionKey"];
        if (!string.IsNullOrEmpty(configured))
        {
            var key = Convert.FromBase64String(configured);
            return key.Length == 32 ? key : throw new InvalidOperationException("OpenData:Auth:KeyEncryptionKey must be the base64 of 32 bytes");
        }
        var path = Path.Combine(databaseOptions.DataDirectory, "auth-kek.bin");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(databaseOptions.DataDirectory);
            File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(32));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        return File.ReadAllBytes(path);
    }

    private static string Seal(byte[] plain, byte[] kek)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var sealedBytes = new byte[12 + 16 + plain.Length];
        using var aes = new AesGcm(kek, 16);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
        nonce.CopyTo(sealedBytes, 0);
        return Convert.ToBase64String(sealedBytes);
    }

    private static byte[] Unseal(string material, byte[] kek)
    {
        var sealedBytes = Convert.FromBase64String(material);
        var plain = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(kek, 16);
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plain);
        return plain;
    }

    private sealed class KeyRow
    {
        public string Kid { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Material { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
    }
}
