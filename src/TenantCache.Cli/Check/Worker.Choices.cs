namespace TenantCache.Cli.Check;

// The random choices of a worker, and what it keeps of a returned value.
internal sealed partial class Worker
{
    /// <summary>Verifies a returned value at once and keeps only its write id; a value that does not verify is kept whole for the judge.</summary>
    private static void RecordValue(Operation op, string? value)
    {
        if (ValueCodec.Verify(value, op.Entry, out var writeId) == ValueDefect.None)
        {
            op.ReturnedWriteId = writeId;
        }
        else
        {
            op.RawValue = value ?? "<null>";
        }
    }

    /// <summary>A write id unique in the run; atomic, because a factory may run in the background while the worker goes on.</summary>
    private long NextWriteId() => ((long)(Index + 1) << 40) | Interlocked.Increment(ref _writes);

    private Location RandomEntryLocation()
    {
        var app = _random.Next(_options.Apps);
        var roll = _random.Next(10);
        if (roll == 0)
        {
            return new Location(app);
        }

        var tenant = _random.Next(_options.Tenants);
        return roll < 4 || _options.SubScopes == 0
            ? new Location(app, tenant)
            : new Location(app, tenant, _random.Next(_options.SubScopes));
    }

    private int RandomTags()
    {
        if (_options.Tags == 0 || _random.Next(2) == 0)
        {
            return 0;
        }

        var mask = 1 << _random.Next(_options.Tags);
        if (_random.Next(3) == 0)
        {
            mask |= 1 << _random.Next(_options.Tags);
        }

        return mask;
    }
}
