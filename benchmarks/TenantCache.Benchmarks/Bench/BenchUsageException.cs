using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Bench;

/// <summary>A mistake in the command line of <c>bench</c> or <c>soak</c>, reported as one line on standard error and exit code 2.</summary>
internal sealed class BenchUsageException(string message) : Exception(message)
{
    /// <summary>Parses <c>--servers</c>, turning format errors into a usage error that names the option.</summary>
    public static IReadOnlyList<ServerEndpoint> ParseServers(string text)
    {
        try
        {
            return ServerEndpoint.ParseList(text);
        }
        catch (ArgumentException ex)
        {
            throw new BenchUsageException($"--servers: {ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal)}");
        }
        catch (FormatException ex)
        {
            throw new BenchUsageException($"--servers: {ex.Message}");
        }
    }
}
