using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace OpenData.Platform.Ingestion;

/// <summary>
/// Hands rows to the database sink on a second thread, in batches, so parsing and checking the CSV overlaps with the
/// bulk load: on two cores that is most of the difference to a bare COPY FROM. An observer (the desensitisation profiler, which
/// reads every cell of the untagged columns) sees the same batches on a third thread, in the order they were added.
/// </summary>
internal sealed class PipelinedRowSink : IRowSink
{
    private const int BatchSize = 2048;
    private readonly IRowSink _inner;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stage _load;
    private readonly Stage? _observer;
    private readonly int _width;
    private long[] _rows = new long[BatchSize];
    private object?[][] _values = new object?[BatchSize][];
    private int _count;
    private bool _disposed;

    public PipelinedRowSink(IRowSink inner, int width, Action<object?[]>? observe = null)
    {
        _inner = inner;
        _width = width;
        _load = new Stage("ingestion-load", _stop, batch =>
        {
            for (var i = 0; i < batch.Count; i++)
            {
                inner.Add(batch.Rows[i], batch.Values[i]);
            }
        });
        if (observe is not null)
        {
            _observer = new Stage("ingestion-observe", _stop, batch =>
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    observe(batch.Values[i]);
                }
            });
        }
    }

    public void Add(long row, object?[] values)
    {
        ThrowIfFailed();
        var copy = new object?[_width];
        Array.Copy(values, copy, _width);
        _rows[_count] = row;
        _values[_count] = copy;
        if (++_count == BatchSize)
        {
            Enqueue();
        }
    }

    /// <summary>Hands the rows added so far to the observer and waits until it has seen them all (when a load fails, its report still tells what they held).</summary>
    public void CompleteObserving()
    {
        if (_disposed || _observer is null || _observer.Completed || _stop.IsCancellationRequested)
        {
            return;
        }
        try
        {
            if (_count > 0)
            {
                _observer.Add(new Batch(_rows, _values, _count));
            }
        }
        catch (OperationCanceledException)
        {
            // A stage failed meanwhile: the load fails anyway, and Dispose stops the rest.
            return;
        }
        // Its failure, if any, is not rethrown here: the load fails anyway, and the next Add or Complete would rethrow it.
        _observer.Complete();
    }

    public void Complete()
    {
        if (_count > 0)
        {
            Enqueue();
        }
        _load.Complete();
        _observer?.Complete();
        ThrowIfFailed();
        _inner.Complete();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _stop.Cancel();
        _load.Complete();
        _observer?.Complete();
        _inner.Dispose();
        _load.Dispose();
        _observer?.Dispose();
        _stop.Dispose();
    }

    private void ThrowIfFailed()
    {
        _load.Failure?.Throw();
        _observer?.Failure?.Throw();
    }

    private void Enqueue()
    {
        var batch = new Batch(_rows, _values, _count);
        try
        {
            _load.Add(batch);
            if (_observer is { Completed: false })
            {
                _observer.Add(batch);
            }
        }
        catch (OperationCanceledException)
        {
            ThrowIfFailed();
            throw;
        }
        _rows = new long[BatchSize];
        _values = new object?[BatchSize][];
        _count = 0;
    }

    /// <summary>A batch of copied rows; once handed over, nobody writes to it again.</summary>
    private readonly record struct Batch(long[] Rows, object?[][] Values, int Count);

    /// <summary>A thread draining its own queue of batches; a failure stops every stage and is rethrown on the producer's thread.</summary>
    private sealed class Stage : IDisposable
    {
        private readonly BlockingCollection<Batch> _batches = new(boundedCapacity: 8);
        private readonly CancellationTokenSource _stop;
        private readonly Action<Batch> _take;
        private readonly Thread _thread;
        private volatile ExceptionDispatchInfo? _failure;

        public Stage(string name, CancellationTokenSource stop, Action<Batch> take)
        {
            _stop = stop;
            _take = take;
            _thread = new Thread(Drain) { IsBackground = true, Name = name };
            _thread.Start();
        }

        public ExceptionDispatchInfo? Failure => _failure;

        public bool Completed => _batches.IsAddingCompleted;

        public void Add(Batch batch) => _batches.Add(batch, _stop.Token);

        /// <summary>No more batches: waits until the thread has taken those queued (or stopped).</summary>
        public void Complete()
        {
            if (!_batches.IsAddingCompleted)
            {
                _batches.CompleteAdding();
            }
            _thread.Join();
        }

        public void Dispose() => _batches.Dispose();

        private void Drain()
        {
            try
            {
                foreach (var batch in _batches.GetConsumingEnumerable(_stop.Token))
                {
                    _take(batch);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
#pragma warning disable CA1031 // the failure is rethrown on the producer's thread
            catch (Exception e)
#pragma warning restore CA1031
            {
                _failure = ExceptionDispatchInfo.Capture(e);
                _stop.Cancel();
            }
        }
    }
}
