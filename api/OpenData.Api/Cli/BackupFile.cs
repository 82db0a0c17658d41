namespace OpenData.Api.Cli;

/// <summary>One file of a backup, as its manifest lists it: the path inside the backup folder, its size and SHA-256.</summary>
internal sealed record BackupFile(string Path, long Size, string Sha256);
