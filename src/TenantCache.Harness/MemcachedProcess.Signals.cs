using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TenantCache.Harness;

// Freezing and thawing the process with POSIX signals.
public sealed partial class MemcachedProcess
{
    /// <summary>Freezes the process (SIGSTOP) and returns once the kernel reports it stopped.</summary>
    public void Pause()
    {
        Signal("STOP");
        WaitForState(stopped: true);
    }

    /// <summary>Thaws a paused process (SIGCONT) and returns once it runs again.</summary>
    public void Resume()
    {
        Signal("CONT");
        WaitForState(stopped: false);
    }

    // Field 3 of /proc/PID/stat, after the parenthesised name: T (stopped) or t (traced).
    private void WaitForState(bool stopped)
    {
        if (ProcessId is not { } pid)
        {
            return;
        }

        var stat = $"/proc/{pid}/stat";
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && File.Exists(stat))
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..][0];
            if ((state is 'T' or 't') == stopped)
            {
                return;
            }

            Thread.Sleep(5);
        }
    }

    private void Signal(string signal) =>
        LocalProcesses.Signal(ProcessId ?? throw new InvalidOperationException("memcached is not running."), signal);
}
