using System.CommandLine;
using TenantCache.Memcached;

namespace TenantCache.Cli;

/// <summary>Options shared by the commands.</summary>
internal static class CliOptions
{
    public static Option<string?> Servers(bool required) => new("--servers")
    {
        Description = "memcached servers, host:port[:weight],... (default: the in-process store)",
        Required = required,
    };

    /// <summary>Parses a server list, turning format errors into a message for the user.</summary>
    public static IReadOnlyList<ServerEndpoint> ParseServers(string text)
    {
        try
        {
            return ServerEndpoint.ParseList(text);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new CliUsageException($"--servers: {ex.Message}");
        }
    }
}

/// <summary>A mistake in the command line, reported as a message and exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
