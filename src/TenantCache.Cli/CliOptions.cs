using System.CommandLine;
using TenantCache.Memcached;

namespace TenantCache.Cli;

/// <summary>Options shared by the commands.</summary>
internal static class CliOptions
{
    /// <summary>
    /// <c>--servers</c>. A required one says nothing about a default; an optional one says what runs
    /// without it (<paramref name="without"/>).
    /// </summary>
    public static Option<string?> Servers(bool required, string? without = null) => new("--servers")
    {
        Description = required
            ? "memcached servers, host:port[:weight],..."
            : $"memcached servers, host:port[:weight],... (without it: {without ?? "the in-process store"})",
        Required = required,
        HelpName = "list",
    };

    /// <summary><c>--token-window</c>: the token reuse window (Δ) of the caches the command creates.</summary>
    public static Option<string?> TokenWindow(string what) => new("--token-window")
    {
        Description = $"The token reuse window (Δ) {what}: whole milliseconds from 0 to 1000, or 'default' (500 ms on memcached, 0 in process).",
        HelpName = "ms|default",
    };

    /// <summary>Parses a server list, turning format errors into a message for the user.</summary>
    public static IReadOnlyList<ServerEndpoint> ParseServers(string text)
    {
        try
        {
            return ServerEndpoint.ParseList(text);
        }
        catch (ArgumentException ex)
        {
            throw CliUsageException.For("--servers", ex);
        }
        catch (FormatException ex)
        {
            throw new CliUsageException($"--servers: {ex.Message}");
        }
    }
}

/// <summary>A mistake in the command line, reported as one line on standard error and exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message)
{
    /// <summary>
    /// The library's complaint about a value, said about the option the user typed: "--tenant: The
    /// value must not be empty", never "(Parameter 'tenantId')".
    /// </summary>
    public static CliUsageException For(string option, ArgumentException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var message = ex.ParamName is null
            ? ex.Message
            : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal);
        return new CliUsageException($"{option}: {message}");
    }
}
