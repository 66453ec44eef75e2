using System.Globalization;
using TenantCache.Internal;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// One request on its way through a connection: its bytes (until written), the opaque its reply must
/// echo, and the completion its caller awaits.
/// </summary>
internal sealed class PendingRequest
{
    private const int Queued = 0;
    private const int Written = 1;
    private const int Abandoned = 2;

    private readonly TaskCompletionSource<MetaResponse> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;
    private PendingRequest[]? _followers;

    public PendingRequest(RequestKind kind, uint opaque)
    {
        Kind = kind;
        Opaque = opaque;
    }

    public RequestKind Kind { get; }

    /// <summary>The opaque sent with <c>O</c>; 0 when the command carries none (<c>mn</c>).</summary>
    public uint Opaque { get; }

    /// <summary>The command's bytes; owned by whoever holds the request, returned once written.</summary>
    public PooledBufferWriter Buffer { get; } = new();

    public Task<MetaResponse> Task => _completion.Task;

    /// <summary>Writes the opaque's text (decimal) into <paramref name="destination"/>.</summary>
    public ReadOnlySpan<byte> FormatOpaque(Span<byte> destination)
    {
        Opaque.TryFormat(destination, out int written, default, CultureInfo.InvariantCulture);
        return destination[..written];
    }

    /// <summary>Called by the writer: false when the caller gave up before the bytes left.</summary>
    public bool TryMarkWritten() => Interlocked.CompareExchange(ref _state, Written, Queued) == Queued;

    /// <summary>Called by a cancelled caller: true when the bytes will never be written.</summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued;

    public void Complete(in MetaResponse response) => _completion.TrySetResult(response);

    public void Fail(Exception exception) => _completion.TrySetException(exception);

    public void ReleaseBuffer() => Buffer.Dispose();

    /// <summary>Requests to be written right after this one, in the same send (set by <c>EnqueueBatch</c>).</summary>
    public void SetFollowers(PendingRequest[] followers) => _followers = followers;

    /// <summary>Takes the followers (once): the writer, or whoever fails the queued head.</summary>
    public PendingRequest[]? TakeFollowers() => Interlocked.Exchange(ref _followers, null);
}
