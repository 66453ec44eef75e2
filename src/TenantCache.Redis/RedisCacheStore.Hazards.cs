using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TenantCache.Redis.Internal;

namespace TenantCache.Redis;

/// <content>The server settings under which Redis can bring a replaced version token back.</content>
public sealed partial class RedisCacheStore
{
    /// <summary>
    /// Reads each connected server's settings and returns what could bring an old version token back (and
    /// so undo an invalidation): RDB snapshots or AOF (a restart reloads old tokens), replicas (an
    /// asynchronous failover can promote one that missed an invalidation). It needs <c>allowAdmin=true</c> in the
    /// configuration (StackExchange.Redis sends <c>INFO</c> and <c>CONFIG</c> only then). Servers whose settings
    /// cannot be read (no admin mode, <c>CONFIG</c> renamed or forbidden, not connected) are skipped; with
    /// <paramref name="logger"/>, each finding is a warning (event 3001) and each skipped server a debug line.
    /// </summary>
    public IReadOnlyList<string> FindConfigurationHazards(ILogger? logger = null)
    {
        var hazards = new List<string>();
        foreach (var endpoint in _connection.GetEndPoints())
        {
            var server = _connection.GetServer(endpoint);
            var name = endpoint.ToString() ?? "?";
            try
            {
                if (!server.IsConnected)
                {
                    continue;
                }

                var found = new List<string>();
                var info = server.Info().SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
                if (SnapshotRule(server) is { Length: > 0 } save)
                {
                    found.Add($"RDB snapshots are on (save \"{save}\"): a restart reloads old version tokens.");
                }

                if (info.GetValueOrDefault("aof_enabled") == "1")
                {
                    found.Add("AOF persistence is on (appendonly yes): a restart replays old version tokens.");
                }

                if (server.IsReplica || info.GetValueOrDefault("connected_slaves") is { } replicas && replicas != "0")
                {
                    found.Add("it replicates asynchronously: a failover can promote a replica that missed an invalidation.");
                }

                foreach (var hazard in found)
                {
                    hazards.Add($"{name}: {hazard}");
                    if (logger is not null)
                    {
                        Log.ServerHazard(logger, name, hazard);
                    }
                }
            }
            catch (Exception ex) when (ex is RedisException or RedisCommandException)
            {
                if (logger is not null && logger.IsEnabled(LogLevel.Debug))
                {
                    var errorType = ex.GetType().Name;
                    Log.ConfigurationUnreadable(logger, name, errorType);
                }
            }
        }

        return hazards;
    }

    /// <summary>The server's <c>save</c> rule; null when it cannot be read (StackExchange.Redis allows <c>CONFIG</c> only with <c>allowAdmin=true</c>).</summary>
    private static string? SnapshotRule(IServer server)
    {
        try
        {
            return server.ConfigGet("save").FirstOrDefault().Value;
        }
        catch (RedisCommandException)
        {
            return null;
        }
    }
}
