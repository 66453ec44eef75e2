using System.CommandLine;
using TenantCache.Memcached;

namespace TenantCache.Cli;

/// <summary>
/// <c>tenantcache locate --servers LIST KEY...</c>: prints <c>KEY&lt;TAB&gt;host:port</c> for each key,
/// the server libmemcached-compatible ketama places it on. Connects to nothing.
/// </summary>
internal static class LocateCommand
{
    public static Command Create()
    {
        var servers = CliOptions.Servers(required: true);
        var keys = new Argument<string[]>("key") { Description = "Store keys to place.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("locate", "Print the memcached server each key is placed on (ketama, as libmemcached), without connecting.");
        command.Options.Add(servers);
        command.Arguments.Add(keys);
        command.SetAction(parseResult =>
        {
            var list = CliOptions.ParseServers(parseResult.GetValue(servers)!);
            foreach (var key in parseResult.GetValue(keys)!)
            {
                var server = MemcachedClient.Locate(list, key);
                Console.Out.WriteLine($"{key}\t{server.Host}:{server.Port}");
            }

            return 0;
        });
        return command;
    }
}
