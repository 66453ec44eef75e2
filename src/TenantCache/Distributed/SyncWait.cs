namespace TenantCache.Distributed;

/// <summary>
/// The sync face of the adapter. A call that already completed (the in-process store always does)
/// yields its result without blocking; otherwise the caller's thread waits for the task. Every
/// await below is <c>ConfigureAwait(false)</c>, so no continuation needs the caller's
/// synchronization context and the wait cannot deadlock on it.
/// </summary>
internal static class SyncWait
{
    public static T Result<T>(ValueTask<T> pending) =>
        pending.IsCompleted ? pending.GetAwaiter().GetResult() : pending.AsTask().GetAwaiter().GetResult();

    public static void Complete(ValueTask pending)
    {
        if (pending.IsCompleted)
        {
            pending.GetAwaiter().GetResult();
        }
        else
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }
}
