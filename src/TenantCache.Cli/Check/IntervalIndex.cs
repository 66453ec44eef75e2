namespace TenantCache.Cli.Check;

/// <summary>
/// Operations' real-time intervals, indexed for the two questions the judge asks:
/// which operation that ended before t started the latest, and does any operation touch [a, b].
/// </summary>
internal sealed class IntervalIndex
{
    private readonly Operation[] _byEnd;
    private readonly long[] _ends;
    private readonly int[] _latestStartUpTo; // index into _byEnd of the largest Start among _byEnd[0..i]
    private readonly Operation[] _byStart;
    private readonly long[] _starts;
    private readonly int[] _maxEndUpTo; // index into _byStart of the largest End among _byStart[0..i]
    private readonly int[] _minEndFrom; // index into _byStart of the smallest End among _byStart[i..]
    private readonly Func<Operation, long> _end;

    /// <param name="operations">The operations.</param>
    /// <param name="end">Where an interval ends; <see cref="Operation.End"/> by default (writes use <see cref="Operation.WriteEnd"/>).</param>
    public IntervalIndex(IEnumerable<Operation> operations, Func<Operation, long>? end = null)
    {
        _end = end ?? (o => o.End);
        var endOf = _end;
        _byEnd = [.. operations.OrderBy(endOf)];
        _ends = Array.ConvertAll(_byEnd, o => endOf(o));
        _latestStartUpTo = new int[_byEnd.Length];
        for (var i = 0; i < _byEnd.Length; i++)
        {
            _latestStartUpTo[i] = i > 0 && _byEnd[_latestStartUpTo[i - 1]].Start >= _byEnd[i].Start ? _latestStartUpTo[i - 1] : i;
        }

        _byStart = [.. _byEnd.OrderBy(o => o.Start)];
        _starts = Array.ConvertAll(_byStart, o => o.Start);
        _maxEndUpTo = new int[_byStart.Length];
        for (var i = 0; i < _byStart.Length; i++)
        {
            _maxEndUpTo[i] = i > 0 && endOf(_byStart[_maxEndUpTo[i - 1]]) >= endOf(_byStart[i]) ? _maxEndUpTo[i - 1] : i;
        }

        _minEndFrom = new int[_byStart.Length];
        for (var i = _byStart.Length - 1; i >= 0; i--)
        {
            _minEndFrom[i] = i < _byStart.Length - 1 && endOf(_byStart[_minEndFrom[i + 1]]) <= endOf(_byStart[i]) ? _minEndFrom[i + 1] : i;
        }
    }

    public static IntervalIndex Empty { get; } = new([]);

    public int Count => _byEnd.Length;

    /// <summary>Among the operations that ended strictly before <paramref name="time"/>, the one that started last.</summary>
    public Operation? LatestStartedAmongEndedBefore(long time)
    {
        var n = LowerBound(_ends, time);
        return n == 0 ? null : _byEnd[_latestStartUpTo[n - 1]];
    }

    /// <summary>Among the operations that started strictly after <paramref name="time"/>, the one that ended first.</summary>
    public Operation? EarliestEndedAmongStartedAfter(long time)
    {
        var n = UpperBound(_starts, time);
        return n == _byStart.Length ? null : _byStart[_minEndFrom[n]];
    }

    /// <summary>The operation that ended last strictly before <paramref name="time"/>.</summary>
    public Operation? LastEndedBefore(long time)
    {
        var n = LowerBound(_ends, time);
        return n == 0 ? null : _byEnd[n - 1];
    }

    /// <summary>
    /// An operation whose interval touches [<paramref name="from"/>, <paramref name="to"/>] (closed:
    /// equal timestamps count as touching), other than the excluded ones; <see langword="null"/> if none.
    /// </summary>
    public Operation? FirstTouching(long from, long to, Operation? exclude1 = null, Operation? exclude2 = null)
    {
        // Started before the window and still running at its start.
        var before = LowerBound(_starts, from);
        if (before > 0 && _end(_byStart[_maxEndUpTo[before - 1]]) >= from)
        {
            var longest = _byStart[_maxEndUpTo[before - 1]];
            if (longest != exclude1 && longest != exclude2)
            {
                return longest;
            }

            for (var i = before - 1; i >= 0; i--)
            {
                var o = _byStart[i];
                if (_end(o) >= from && o != exclude1 && o != exclude2)
                {
                    return o;
                }
            }
        }

        // Started inside the window.
        var after = UpperBound(_starts, to);
        for (var i = before; i < after; i++)
        {
            var o = _byStart[i];
            if (o != exclude1 && o != exclude2)
            {
                return o;
            }
        }

        return null;
    }

    /// <summary>The first index whose value is ≥ <paramref name="value"/>.</summary>
    private static int LowerBound(long[] sorted, long value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The first index whose value is &gt; <paramref name="value"/>.</summary>
    private static int UpperBound(long[] sorted, long value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
