using System.Globalization;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// One request on its way through a connection: its bytes (until written), the opaque its reply must
/// echo, and the completion its caller awaits. Whoever holds it — the caller, the connection's queue,
/// the writer, the in-flight FIFO — is responsible for completing or failing it.
/// </summary>
internal sealed class PendingRequest
{
    private const int Queued = 0;
    private const int Written = 1;
    private const int Abandoned = 2;

    private readonly TaskCompletionSource<MetaResponse> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;
    private int _resubmitted;
    private PendingRequest[]? _followers;

    public PendingRequest(RequestKind kind, uint opaque)
    {
        Kind = kind;
        Opaque = opaque;
    }

    public RequestKind Kind { get; }

    /// <summary>The opaque sent with <c>O</c>; 0 when the command carries none (<c>mn</c>).</summary>
    public uint Opaque { get; }

    /// <summary>The command's bytes; owned by whoever holds the request, released once written.</summary>
    public CommandBuffer Buffer { get; } = new();

    public Task<MetaResponse> Task => _completion.Task;

    /// <summary>
    /// The reply that came before the request's own (<see cref="RequestKind.MarkStale"/>: the <c>md</c>'s
    /// <c>EX</c> or <c>NF</c>); <see cref="MetaReplyKind.None"/> when none came. Set by the reader only,
    /// before it completes the request.
    /// </summary>
    public MetaReplyKind Prelude { get; set; }

    /// <summary>When the writer put the request in the FIFO (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long SentTimestamp { get; set; }

    /// <summary>True once the caller gave up (timeout or cancellation) on a request still queued.</summary>
    public bool IsAbandoned => Volatile.Read(ref _state) == Abandoned;

    /// <summary>Writes the opaque's text (decimal) into <paramref name="destination"/>.</summary>
    public ReadOnlySpan<byte> FormatOpaque(Span<byte> destination)
    {
        Opaque.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return destination[..written];
    }

    /// <summary>Called by the writer: false when the caller gave up before the bytes left.</summary>
    public bool TryMarkWritten() => Interlocked.CompareExchange(ref _state, Written, Queued) == Queued;

    /// <summary>
    /// Called by a caller that stops waiting (timeout or cancellation): true when the bytes will never
    /// be written. A request already written stays in the FIFO and its reply is read and dropped.
    /// </summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued;

    /// <summary>
    /// The caller stops waiting: the request is never written if it still can be, and its eventual
    /// failure is observed here since nobody awaits it any more.
    /// </summary>
    /// <returns>True when the request was still queued (it will never be written).</returns>
    public bool Abandon()
    {
        var neverWritten = TryAbandon();
        ObserveFailure();
        return neverWritten;
    }

    /// <summary>For a request nobody awaits (abandoned, or a heartbeat): its eventual failure is observed here.</summary>
    public void ObserveFailure() => _completion.Task.ContinueWith(
        static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>True the first time only: a request never written may be sent again once, on another connection.</summary>
    public bool TryClaimResubmission() => Interlocked.Exchange(ref _resubmitted, 1) == 0;

    public void Complete(in MetaResponse response) => _completion.TrySetResult(response);

    public void Fail(Exception exception) => _completion.TrySetException(exception);

    public void ReleaseBuffer() => Buffer.Release();

    /// <summary>Requests to be written right after this one, in the same send (set by <c>EnqueueBatch</c>).</summary>
    public void SetFollowers(PendingRequest[]? followers) => _followers = followers;

    /// <summary>Takes the followers (once): the writer, or whoever fails or resubmits the queued head.</summary>
    public PendingRequest[]? TakeFollowers() => Interlocked.Exchange(ref _followers, null);
}
