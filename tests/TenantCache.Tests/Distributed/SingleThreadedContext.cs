using System.Collections.Concurrent;

namespace TenantCache.Tests.Distributed;

/// <summary>
/// A synchronization context with one thread, like a UI thread or classic ASP.NET: a sync call that
/// blocks while its completion waits to be posted back here would hang, and the test times out.
/// </summary>
internal sealed class SingleThreadedContext : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];

    public override void Post(SendOrPostCallback d, object? state) => _queue.Add((d, state));

    public static Task<T> RunAsync<T>(Func<T> body)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var context = new SingleThreadedContext();
            SetSynchronizationContext(context);
            context.Post(
                _ =>
                {
                    try
                    {
                        done.SetResult(body());
                    }
                    catch (Exception ex)
                    {
                        done.SetException(ex);
                    }
                    finally
                    {
                        context._queue.CompleteAdding();
                    }
                },
                null);
            foreach (var (callback, state) in context._queue.GetConsumingEnumerable())
            {
                callback(state);
            }
        })
        { IsBackground = true };
        thread.Start();
        return done.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
