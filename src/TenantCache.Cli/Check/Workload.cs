using System.Diagnostics;
using System.Globalization;

namespace TenantCache.Cli.Check;

/// <summary>One worker: a loop of random operations, each recorded with its real-time interval.</summary>
internal sealed partial class Worker
{
    private readonly Workspace _space;
    private readonly CheckOptions _options;
    private readonly Random _random;
    private readonly List<Operation> _operations = [];
    private long _writes;

    public Worker(int index, Workspace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        Index = index;
        _space = space;
        _options = space.Options;
        _random = new Random(unchecked(_options.Seed + (index * 7919)));
    }

    public int Index { get; }

    public IReadOnlyList<Operation> Operations => _operations;

    public async Task RunAsync(long deadline, CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await StepAsync(cancellationToken);
        }
    }

    /// <summary>Runs one random operation and records it.</summary>
    public async Task StepAsync(CancellationToken cancellationToken)
    {
        var op = new Operation { Worker = Index };
        var w = _options.Weights;
        var pick = _random.Next(w.Total);
        ICacheScope? scope = null;
        string? key = null;
        int tagMask = 0, padding = _random.Next(_options.MaxPadding + 1);

        if ((pick -= w.Get) < 0)
        {
            op.Kind = OpKind.Get;
        }
        else if ((pick -= w.Set) < 0)
        {
            op.Kind = OpKind.Set;
        }
        else if ((pick -= w.GetOrCreate) < 0)
        {
            op.Kind = OpKind.GetOrCreate;
        }
        else if ((pick -= w.Remove) < 0)
        {
            op.Kind = OpKind.Remove;
        }
        else
        {
            op.Kind = OpKind.InvalidateScope;
            var app = _random.Next(_options.Apps);
            if ((pick -= w.InvalidateSubScope) < 0)
            {
                op.Location = _options.SubScopes > 0
                    ? new Location(app, _random.Next(_options.Tenants), _random.Next(_options.SubScopes))
                    : new Location(app, _random.Next(_options.Tenants));
            }
            else if ((pick -= w.InvalidateTenant) < 0)
            {
                op.Location = new Location(app, _random.Next(_options.Tenants));
            }
            else if ((pick -= w.InvalidateApplication) < 0 || _options.Tags == 0)
            {
                op.Location = new Location(app);
            }
            else
            {
                op.Kind = OpKind.InvalidateTag;
                op.Location = new Location(app);
                op.Tag = _random.Next(_options.Tags);
            }
        }

        if (op.Kind is OpKind.Get or OpKind.Set or OpKind.GetOrCreate or OpKind.Remove)
        {
            op.Location = RandomEntryLocation();
            op.Key = _random.Next(_options.Keys);
            key = _space.KeyNames[op.Key];
            if (op.Kind == OpKind.Set)
            {
                tagMask = RandomTags();
                op.TagMask = tagMask;
                op.Lifetime = _options.EntryLifetime;
            }
            else if (op.Kind == OpKind.GetOrCreate)
            {
                op.TagMask = _space.GetOrCreateTags(op.Entry); // one generation of a key means one set of tokens: fixed tags
            }
        }

        var client = _space.PickProcess(op.Kind, _random);
        op.Process = client;
        op.Leased = _space.Leased(client);
        scope = _space.Scope(client, op.Location);
        if (_space.Stream is null)
        {
            _operations.Add(op);
        }

        OperationLogger.Current.Value = op;
        try
        {
            switch (op.Kind)
            {
                case OpKind.Get:
                {
                    op.Start = Stopwatch.GetTimestamp();
                    var result = await scope.GetAsync<string>(key!, cancellationToken);
                    op.End = Stopwatch.GetTimestamp();
                    op.Hit = result.HasValue;
                    if (result.HasValue)
                    {
                        RecordValue(op, result.Value);
                    }

                    break;
                }

                case OpKind.Set:
                {
                    op.WriteId = NextWriteId();
                    var value = ValueCodec.Encode(op.Entry, op.WriteId, padding);
                    op.Start = Stopwatch.GetTimestamp();
                    await scope.SetAsync(key!, value, _space.EntryOptions(tagMask), cancellationToken);
                    op.End = Stopwatch.GetTimestamp();
                    break;
                }

                case OpKind.GetOrCreate:
                    await GetOrCreateAsync(op, scope, key!, padding, cancellationToken);
                    break;

                case OpKind.Remove:
                    op.Start = Stopwatch.GetTimestamp();
                    await scope.RemoveAsync(key!, cancellationToken);
                    op.End = Stopwatch.GetTimestamp();
                    break;

                case OpKind.InvalidateScope:
                    op.Start = Stopwatch.GetTimestamp();
                    await scope.InvalidateAsync(cancellationToken);
                    op.End = Stopwatch.GetTimestamp();
                    break;

                case OpKind.InvalidateTag:
                    op.Start = Stopwatch.GetTimestamp();
                    await _space.Caches[op.Location.App][client].InvalidateTagAsync(_space.TagNames[op.Tag], cancellationToken);
                    op.End = Stopwatch.GetTimestamp();
                    break;
            }

            op.Status = OpStatus.Ok;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            op.End = Stopwatch.GetTimestamp();
            op.Status = OpStatus.Cancelled;
        }
        catch (Exception ex)
        {
            op.End = Stopwatch.GetTimestamp();
            op.Status = OpStatus.Threw;
            op.ErrorTyped = ex is CacheInvalidationException;
            op.ErrorExpected = op.Kind == OpKind.GetOrCreate && ex is CheckFactoryException or CacheFactoryTimeoutException;
            op.Error = ex.GetType().Name + ": " + ex.Message;
        }
        finally
        {
            OperationLogger.Current.Value = null;
            _space.Stream?.Record(op);
            _space.Tally?.Record(op);
        }
    }
}
