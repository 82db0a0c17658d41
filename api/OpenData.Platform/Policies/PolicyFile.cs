namespace OpenData.Platform.Policies;

/// <summary>One policy file as the host read it at start: its name, the full path it came from, the SHA-256 of its bytes (hex) and its text.</summary>
internal sealed record PolicyFile(string Name, string Path, string Sha256, string Text);
