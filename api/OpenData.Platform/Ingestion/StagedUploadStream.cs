namespace OpenData.Platform.Ingestion;

/// <summary>
/// An upload staged in the store, read back chunk by chunk (one chunk in memory at a time) for the loader's own thread. Its
/// <see cref="Position"/> is the count of bytes read, for the job's progress; it does not seek.
/// </summary>
internal sealed class StagedUploadStream(IngestionJobStore jobs, string jobId, long length) : Stream
{
    private byte[]? _chunk = [];
    private int _offset;
    private int _next;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_chunk is not null && _offset == _chunk.Length)
        {
            _chunk = jobs.ReadChunk(jobId, _next++);
            _offset = 0;
            if (_chunk is null && _position < length)
            {
                // Never a truncated file taken for a whole one: a missing chunk fails the job.
                throw new IOException($"the staged upload of job {jobId} ends at byte {_position} of {length}: chunk {_next - 1} is missing");
            }
        }
        if (_chunk is null || buffer.IsEmpty)
        {
            return 0;
        }
        var count = Math.Min(buffer.Length, _chunk.Length - _offset);
        _chunk.AsSpan(_offset, count).CopyTo(buffer);
        _offset += count;
        _position += count;
        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
