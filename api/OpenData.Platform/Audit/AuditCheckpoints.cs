using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenData.Platform.Identity;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Audit;

/// <summary>
/// Signs checkpoints of the audit chain's head and publishes them outside the database: one JSON line each in an append-only
/// file (<see cref="AuditOptions.CheckpointFile"/>) and a structured log line (event 7001, <c>audit.checkpoint</c>) for the
/// log pipeline to carry off the host. <c>verify</c> checks the chain against them, so an owner of the database who rewrites
/// entries, recomputes every hash and moves <c>audit_head</c>, or deletes the tail, no longer gets an "ok".
/// <para>
/// The key: HMAC-SHA256 under a key derived (HKDF) from the key-encryption key, which lives in configuration or a file outside
/// the store and is itself never stored. Rewriting the database alone cannot forge a checkpoint. Trade-off against ECDSA with a
/// published public key: only holders of the KEK (the platform's nodes) can check a checkpoint, so a third party cannot verify
/// one independently, and anyone holding the KEK can forge one. It is adequate while the platform is the verifier and the KEK
/// is kept from the database's administrators; an external auditor would need an asymmetric key (kept the same way) instead.
/// </para>
/// </summary>
internal sealed partial class AuditCheckpoints
{
    private readonly byte[] _key;
    private readonly string _path;
    private readonly string _node;
    private readonly TimeProvider _clock;
    private readonly ILogger<AuditCheckpoints> _logger;
    private readonly Lock _gate = new();

    // What this node has read of the file (lines up to _offset) and signed itself: kept in memory, so cutting lines off the
    // file while the node runs hides nothing from it, and the file is read incrementally.
    private readonly SortedDictionary<long, List<AuditCheckpoint>> _known = [];
    private readonly List<CheckpointProblem> _problems = [];
    private long _offset;

    public AuditCheckpoints(KeyRing keys, IOptions<AuditOptions> options, DatabaseOptions database, TimeProvider clock, ILogger<AuditCheckpoints> logger)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(database);
        _key = keys.DeriveKey("audit-checkpoint/v1");
        KeyId = "kek-" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, "key id"u8)).AsSpan(0, 12).ToString();
        _path = Path.GetFullPath(options.Value.CheckpointFile ?? Path.Combine(database.DataDirectory, "audit-checkpoints.jsonl"));
        _node = Environment.MachineName + ":" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _clock = clock;
        _logger = logger;
    }

    /// <summary>The id of the signing key: a digest of it, which says nothing of the key.</summary>
    public string KeyId { get; }

    public string FilePath => _path;

    /// <summary>Signs the head <paramref name="seq"/>, <paramref name="hash"/> as of now.</summary>
    public AuditCheckpoint Sign(long seq, string hash)
    {
        var at = _clock.GetUtcNow();
        at = new DateTimeOffset(at.UtcTicks, TimeSpan.Zero);
        var unsigned = new AuditCheckpoint(seq, hash, at, _node, KeyId, "");
        return unsigned with { Signature = Mac(unsigned) };
    }

    private string Mac(AuditCheckpoint checkpoint) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(checkpoint.Payload())));

    /// <summary>Whether <paramref name="checkpoint"/> was signed with this platform's key and is unchanged.</summary>
    public bool IsGenuine(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.KeyId != KeyId || checkpoint.Signature.Length != 64)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(checkpoint)), Encoding.ASCII.GetBytes(checkpoint.Signature));
    }

    /// <summary>Publishes a checkpoint: appended to the file (flushed to disk), logged, and remembered.</summary>
    public void Publish(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var line = JsonSerializer.Serialize(new CheckpointLine(checkpoint.Seq, checkpoint.Hash, checkpoint.At, checkpoint.Node, checkpoint.KeyId, checkpoint.Signature), LineOptions) + "\n";
        lock (_gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            // One write of a whole line to a file opened for appending, so nodes sharing the file interleave lines, not bytes.
            using (var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                file.Write(Encoding.UTF8.GetBytes(line));
                file.Flush(flushToDisk: true);
            }
            Remember(checkpoint);
        }
        LogCheckpoint(_logger, checkpoint.Seq, checkpoint.Hash, checkpoint.At, checkpoint.Node, checkpoint.KeyId, checkpoint.Signature);
    }

    /// <summary>
    /// Every checkpoint known: those of the file that are genuine, and those this node signed (even if since cut off the file);
    /// and every line of the file that is not a genuine checkpoint, or the sign that the file was cut short.
    /// </summary>
    public (IReadOnlyList<AuditCheckpoint> Genuine, IReadOnlyList<CheckpointProblem> Problems) Read()
    {
        lock (_gate)
        {
            ReadNewLines();
            return (_known.Values.SelectMany(c => c).ToList(), _problems.ToList());
        }
    }

    private void ReadNewLines()
    {
        if (!File.Exists(_path))
        {
            if (_offset > 0)
            {
                AddProblem(new CheckpointProblem(null, $"the checkpoint file {_path} was deleted after this node had read {_offset} bytes of it"));
                _offset = 0;
            }
            return;
        }
        using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (file.Length < _offset)
        {
            AddProblem(new CheckpointProblem(null, $"the checkpoint file {_path} shrank from {_offset} to {file.Length} bytes: checkpoints were removed"));
            _offset = 0;
        }
        file.Seek(_offset, SeekOrigin.Begin);
        var bytes = new byte[file.Length - _offset];
        file.ReadExactly(bytes);
        // Only whole lines: a line another node is writing right now is read next time.
        var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        foreach (var line in Encoding.UTF8.GetString(bytes, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            AuditCheckpoint? checkpoint = null;
            try
            {
                var parsed = JsonSerializer.Deserialize<CheckpointLine>(line, LineOptions);
                if (parsed is { Hash: not null, Node: not null, KeyId: not null, Signature: not null })
                {
                    checkpoint = new AuditCheckpoint(parsed.Seq, parsed.Hash, parsed.At, parsed.Node, parsed.KeyId, parsed.Signature);
                }
            }
            catch (JsonException)
            {
            }
            if (checkpoint is null)
            {
                AddProblem(new CheckpointProblem(null, "a line of the checkpoint file is not a checkpoint"));
            }
            else if (!IsGenuine(checkpoint))
            {
                AddProblem(new CheckpointProblem(checkpoint.Seq, checkpoint.KeyId == KeyId
                    ? $"the checkpoint of entry {checkpoint.Seq} in the file does not bear this platform's signature: it was forged or altered"
                    : $"the checkpoint of entry {checkpoint.Seq} in the file names key {checkpoint.KeyId}, not this platform's {KeyId}"));
            }
            else
            {
                Remember(checkpoint);
            }
        }
        _offset += end;
    }

    private void Remember(AuditCheckpoint checkpoint)
    {
        if (!_known.TryGetValue(checkpoint.Seq, out var list))
        {
            _known[checkpoint.Seq] = list = [];
        }
        if (!list.Exists(c => c.Signature == checkpoint.Signature))
        {
            list.Add(checkpoint);
        }
    }

    private void AddProblem(CheckpointProblem problem)
    {
        _problems.Add(problem);
        LogProblem(_logger, problem.Seq, problem.Problem);
    }

    private static readonly JsonSerializerOptions LineOptions = new(JsonSerializerDefaults.Web);

    private sealed record CheckpointLine(long Seq, string? Hash, DateTimeOffset At, string? Node, string? KeyId, string? Signature);

    [LoggerMessage(EventId = 7001, EventName = "audit.checkpoint", Level = LogLevel.Information,
        Message = "Audit checkpoint {Seq} {Hash} at {At:O} by {Node}, key {KeyId}, signature {Signature}")]
    private static partial void LogCheckpoint(ILogger logger, long seq, string hash, DateTimeOffset at, string node, string keyId, string signature);

    [LoggerMessage(EventId = 7002, EventName = "audit.checkpoint_invalid", Level = LogLevel.Critical, Message = "Audit checkpoint file tampered with (entry {Seq}): {Problem}")]
    private static partial void LogProblem(ILogger logger, long? seq, string problem);
}

/// <summary>A line of the checkpoint file that is not a genuine checkpoint (<see cref="Seq"/> when it names one), or its truncation.</summary>
internal sealed record CheckpointProblem(long? Seq, string Problem);
