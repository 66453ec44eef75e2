using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TenantCache.Cli.Check;

/// <summary>
/// One recorded operation with its real-time interval [<see cref="Start"/>, <see cref="End"/>] in
/// <see cref="Stopwatch.GetTimestamp"/> ticks (monotonic). Fields are plain so that workers fill them
/// without allocation beyond the record itself, and tests can build histories by hand.
/// </summary>
internal sealed partial class Operation
{
    /// <summary>Unique within a history; assigned by <see cref="History"/>.</summary>
    public long Id { get; set; }

    public int Worker { get; set; }

    /// <summary>The simulated process (cache instance) that ran it: an index into the run's <see cref="CheckProcess"/> list.</summary>
    public int Process { get; set; }

    public OpKind Kind { get; set; }

    /// <summary>The scope read, written, removed or invalidated; for a tag invalidation, the application.</summary>
    public Location Location { get; set; }

    /// <summary>The key read, written or removed; -1 for invalidations.</summary>
    public int Key { get; set; } = -1;

    /// <summary>The tag invalidated (<see cref="OpKind.InvalidateTag"/>); -1 otherwise.</summary>
    public int Tag { get; set; } = -1;

    /// <summary>For writes: the tags the entry carries, one bit per tag.</summary>
    public int TagMask { get; set; }

    public long Start { get; set; }

    public long End { get; set; } = long.MaxValue;

    public OpStatus Status { get; set; } = OpStatus.Unfinished;

    /// <summary>The exception's type and message when <see cref="Status"/> is <see cref="OpStatus.Threw"/>.</summary>
    public string? Error { get; set; }

    /// <summary>The exception thrown was a <see cref="CacheInvalidationException"/>.</summary>
    public bool ErrorTyped { get; set; }

    /// <summary>
    /// The write id of the value this operation wrote: the value given to set, or the value its own
    /// get-or-create factory produced (0 when the factory did not run).
    /// </summary>
    public long WriteId { get; set; }

    /// <summary>Get-or-create: whether this call's own factory ran.</summary>
    public bool FactoryRan { get; set; }

    /// <summary>Get-or-create: when this call's own factory started.</summary>
    public long FactoryStart { get; set; }

    /// <summary>Get: whether it was a hit. Get-or-create: whether it returned a value its own factory did not produce.</summary>
    public bool Hit { get; set; }

    /// <summary>The write id of the value returned (get hit, or get-or-create), once verified; 0 otherwise.</summary>
    public long ReturnedWriteId { get; set; }

    /// <summary>The value returned, kept only when it did not verify at record time (or in hand-built histories).</summary>
    public string? RawValue { get; set; }

    /// <summary>Store failures the engine logged and swallowed during this operation (fail-open reads and writes).</summary>
    public int StoreErrors { get; set; }

    /// <summary>Stored entries the engine rejected during this operation (unparsable envelope, identity mismatch, ...).</summary>
    public int Rejections { get; set; }

    /// <summary>Version keys (scope and tag tokens) this operation read from the store (<see cref="CountingStore"/>); a field, for <see cref="Interlocked"/>.</summary>
    public int VersionKeysRead;

    /// <summary>Data keys this operation read from the store (<see cref="CountingStore"/>).</summary>
    public int DataKeysRead;

    /// <summary>A fault: when its start returned (the node was killed or restarted by then); 0 otherwise.</summary>
    public long Applied { get; set; }

    /// <summary>A fault: the local nodes it emptied (killed or restarted: every version token on them lost), one bit per node.</summary>
    public int LostNodes { get; set; }

    public EntryKey Entry => new(Location, Key);

    public bool IsRead => Kind is OpKind.Get or OpKind.GetOrCreate;

    /// <summary>Whether this operation returned a value to its caller.</summary>
    public bool ReturnedValue => Status == OpStatus.Ok && (Kind == OpKind.GetOrCreate || (Kind == OpKind.Get && Hit));

    /// <summary>Whether this operation produced a value that may have been stored.</summary>
    public bool ProducedWrite => WriteId != 0 && (Kind == OpKind.Set || (Kind == OpKind.GetOrCreate && FactoryRan));

    /// <summary>
    /// The latest instant at which the value's version tokens may have been read: the end of a set,
    /// the start of a get-or-create's factory (the engine stamps the tokens read before it ran).
    /// </summary>
    public long TokensReadBy => Kind == OpKind.GetOrCreate ? FactoryStart : End;
}

/// <summary>All the operations of a run, in no particular order, plus the origin of its clock.</summary>
internal sealed class History
{
    private readonly List<Operation> _operations = [];
    private long _nextId;

    public History(long origin = 0) => Origin = origin;

    /// <summary>The timestamp the run started at; times are printed relative to it.</summary>
    public long Origin { get; }

    public IReadOnlyList<Operation> Operations => _operations;

    /// <summary>Adds an operation and gives it the next id (unless it has one).</summary>
    public Operation Add(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Id == 0)
        {
            operation.Id = ++_nextId;
        }
        else
        {
            _nextId = Math.Max(_nextId, operation.Id);
        }

        _operations.Add(operation);
        return operation;
    }

    public void AddRange(IEnumerable<Operation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        foreach (var operation in operations)
        {
            Add(operation);
        }
    }
}
