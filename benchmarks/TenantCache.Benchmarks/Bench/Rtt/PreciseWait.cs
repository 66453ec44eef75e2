using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TenantCache.Benchmarks.Bench.Rtt;

/// <summary>
/// Blocks the calling (dedicated) thread until a <see cref="Stopwatch"/> timestamp, to within a few
/// microseconds: <c>Task.Delay</c> and <c>Thread.Sleep</c> count whole milliseconds, which would turn
/// a 200 µs delay into none, or into 1–2 ms. On Linux it sleeps with <c>clock_nanosleep</c> on
/// <c>CLOCK_MONOTONIC</c> (the clock <see cref="Stopwatch"/> reads there) at an absolute time, with
/// the thread's timer slack set to 1 ns, and spins the last 40 µs (a woken thread may wait for a core);
/// elsewhere it sleeps whole milliseconds and spins the rest.
/// </summary>
internal static class PreciseWait
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsoluteTime = 1;
    private const int PrSetTimerSlack = 29;
    private const int Eintr = 4;
    private const long SpinNanoseconds = 40_000;

    [ThreadStatic]
    private static bool t_slackSet;

    /// <summary>Whether waits use the kernel's high-resolution sleep (else: millisecond sleeps and spinning).</summary>
    public static bool IsPrecise { get; } = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000 && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>Returns once <see cref="Stopwatch.GetTimestamp"/> has reached <paramref name="timestamp"/>.</summary>
    public static void Until(long timestamp)
    {
        if (Stopwatch.GetTimestamp() >= timestamp)
        {
            return;
        }

        if (IsPrecise)
        {
            if (!t_slackSet)
            {
                t_slackSet = true;
                _ = Prctl(PrSetTimerSlack, 1, 0, 0, 0);
            }

            // Sleep until shortly before, then spin: a woken thread may wait for a core a while.
            var wake = timestamp - SpinNanoseconds;
            var request = new Timespec { Seconds = wake / 1_000_000_000, Nanoseconds = wake % 1_000_000_000 };
            while (Stopwatch.GetTimestamp() < wake && ClockNanosleep(ClockMonotonic, TimerAbsoluteTime, ref request, IntPtr.Zero) == Eintr)
            {
            }
        }

        while (Stopwatch.GetTimestamp() < timestamp)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
            if (left > TimeSpan.FromMilliseconds(2))
            {
                Thread.Sleep(left - TimeSpan.FromMilliseconds(1));
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }

    [DllImport("libc", EntryPoint = "clock_nanosleep")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockNanosleep(int clock, int flags, ref Timespec request, IntPtr remain);

    [DllImport("libc", EntryPoint = "prctl")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    /// <summary><c>struct timespec</c> on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
