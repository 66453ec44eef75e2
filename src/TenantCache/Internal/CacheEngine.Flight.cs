using System.Diagnostics;

namespace TenantCache.Internal;

/// <summary>Receives an entry's payload as soon as it is encoded, before it is sent to the store.</summary>
internal interface IEncodedPayloadSink
{
    void Accept(PayloadKind kind, ReadOnlySpan<byte> payload);

    /// <summary>The serializer could not encode the value: there is no payload.</summary>
    void NotEncoded();
}

internal sealed partial class CacheEngine
{
    /// <summary>
    /// One in-process factory call that concurrent callers share. A plain flight hands every joiner
    /// the leader's value; a copying one (<see cref="Copies"/>) keeps the encoded payload instead, and
    /// each joiner decodes its own instance of it, so no two callers share a mutable object.
    /// </summary>
    private sealed class Flight<T> : IEncodedPayloadSink
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<DataSeen> _lease = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _factoryStarted = long.MaxValue;

        public Flight(bool copies) => Copies = copies;

        public bool Copies { get; }

        public Task<T> Task => _completion.Task;

        /// <summary>What a copying flight completed with; read once <see cref="Task"/> has completed.</summary>
        public PayloadKind Kind { get; private set; }

        public byte[] Payload { get; private set; } = [];

        /// <summary>The leader's value could not be encoded: each joiner computes its own (see <see cref="NotEncoded"/>).</summary>
        public bool Unencoded { get; private set; }

        /// <summary>Completes with the CAS of a recompute lease a joiner won and handed over (the leader was waiting on someone else's).</summary>
        public Task<DataSeen> LeaseOffered => _lease.Task;

        /// <summary>Hands a lease this caller won to the flight's leader: the leader computes under it.</summary>
        public void OfferLease(DataSeen lease) => _lease.TrySetResult(lease);

        public void MarkFactoryStarted() => Volatile.Write(ref _factoryStarted, Stopwatch.GetTimestamp());

        /// <summary>
        /// Whether the factory started after <paramref name="timestamp"/>, or has not started yet: then
        /// it computes from data at least as new as any invalidation that returned before that moment.
        /// </summary>
        public bool FactoryStartedAfter(long timestamp) => Volatile.Read(ref _factoryStarted) >= timestamp;

        public void Complete(T value) => _completion.TrySetResult(value);

        /// <summary>Completes a copying flight with a copy of the payload (the caller's buffer is reused after this).</summary>
        public void Accept(PayloadKind kind, ReadOnlySpan<byte> payload)
        {
            Kind = kind;
            Payload = payload.ToArray();
            _completion.TrySetResult(default!); // the task's completion publishes the fields above
        }

        /// <summary>Completes a copying flight without a payload; joiners get no shared instance to decode.</summary>
        public void NotEncoded()
        {
            Unencoded = true;
            _completion.TrySetResult(default!);
        }

        /// <summary>Completes a copying flight whose value is not written to the store; false when the serializer threw.</summary>
        public bool TryEncode(T value, ICacheSerializer serializer, out Exception? error)
        {
            using var buffer = new PooledBufferWriter();
            PayloadKind kind;
            try
            {
                kind = PayloadCodec.Encode(value, serializer, buffer);
            }
            catch (Exception ex)
            {
                error = ex;
                NotEncoded();
                return false;
            }

            error = null;
            Accept(kind, buffer.WrittenSpan);
            return true;
        }

        public void Fail(Exception exception)
        {
            if (exception is OperationCanceledException canceled)
            {
                _completion.TrySetCanceled(canceled.CancellationToken);
            }
            else
            {
                _completion.TrySetException(exception);
                _ = _completion.Task.Exception; // observed: callers that joined have theirs rethrown
            }
        }
    }
}
