using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenData.Api.Cli;

/// <summary>
/// <c>manifest.json</c> of a backup folder, written last: a folder without one is not a finished backup. The hashes catch a
/// truncated copy, a flipped bit or a lost file; they are not a signature, since whoever holds the folder holds the KEK too.
/// </summary>
internal sealed record BackupManifest
{
    public const string FileName = "manifest.json";

    public const string CurrentFormat = "opendata-backup/1";

    public string Format { get; init; } = CurrentFormat;

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Provider { get; init; } = "";

    /// <summary>The highest schema migration the backed-up store had; a build with fewer migrations cannot read it.</summary>
    public int SchemaVersion { get; init; }

    /// <summary><c>file</c> (auth-kek.bin is in the backup), <c>configuration</c> (it is not: the operator keeps it) or <c>none</c>.</summary>
    public string KeyEncryptionKey { get; init; } = "none";

    /// <summary>A fingerprint of the KEK the store's keys are sealed with, to check the one a restore will run with.</summary>
    public string? KeyEncryptionKeyId { get; init; }

    /// <summary>The policies folder that was copied into <c>policies/</c>.</summary>
    public string? PoliciesFrom { get; init; }

    public IReadOnlyList<BackupFile> Files { get; init; } = [];

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
