using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TenantCache.Benchmarks.Http;

/// <summary>Runs Debian's <c>wrk</c> against a loopback server and reads its summary.</summary>
internal static partial class WrkRunner
{
    public const string InstallHint = "wrk is missing: install it with apt-get install -y wrk";

    public static async Task<WrkResult> RunAsync(Uri address, int tenants, int connections, TimeSpan duration, string scriptDirectory)
    {
        var script = Path.Combine(scriptDirectory, $"tenants-{tenants}.lua");
        if (!File.Exists(script))
        {
            await File.WriteAllTextAsync(script, $$"""
                -- GET /tenant-N/info for a random N in 1..{{tenants}}
                request = function()
                  return wrk.format("GET", "/tenant-" .. math.random(1, {{tenants}}) .. "/info")
                end
                """);
        }

        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-t", "2", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{(int)Math.Ceiling(duration.TotalSeconds)}s", "--latency", "-s", script, address.ToString() })
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException(InstallHint);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(InstallHint, ex);
        }

        using (process)
        {
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {error}{output}");
            }

            return Parse(output);
        }
    }

    internal static WrkResult Parse(string output)
    {
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = NonSuccess().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socketErrors = SocketErrors().Match(output) is { Success: true } s
            ? s.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
            : 0;
        return new WrkResult(rps, Percentile(output, "50"), Percentile(output, "99"), errors + socketErrors);
    }

    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, @"^\s+" + percent + @"%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new FormatException($"wrk printed no {percent}% latency:\n{output}");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value,
            "ms" => value * 1_000,
            _ => value * 1_000_000,
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}

/// <summary>One wrk run: requests per second, p50 and p99 latency in µs, failed requests.</summary>
internal sealed record WrkResult(double RequestsPerSecond, double P50Micros, double P99Micros, long Errors);
