using System.CommandLine;
using System.CommandLine.Help;
using TenantCache.Benchmarks.Fleet;
using TenantCache.Benchmarks.Herd;
using TenantCache.Benchmarks.Soak;

namespace TenantCache.Benchmarks.Bench;

/// <summary>
/// The <c>bench</c>, <c>soak</c>, <c>fleet</c> and <c>herd</c> commands of the benchmarks project, with the tool's rule for
/// mistakes: one line on standard error and exit code 2.
/// </summary>
internal static class BenchCli
{
    /// <summary>How the commands are run, shown in messages.</summary>
    public const string Name = "TenantCache.Benchmarks";

    public static Command Create()
    {
        var root = new Command(Name, "Measurements that are not part of the shipped tool.") { new HelpOption() };
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(SoakCommand.Create());
        root.Subcommands.Add(FleetCommand.Create());
        root.Subcommands.Add(FleetWorker.Create());
        root.Subcommands.Add(HerdCommand.Create());
        root.Subcommands.Add(HerdWorker.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            var command = $"{Name} {parse.CommandResult.Command.Name}";
            await Console.Error.WriteLineAsync($"{command}: {string.Join(' ', parse.Errors.Select(e => e.Message))} See '{command} --help'.");
            return 2;
        }

        try
        {
            // A configuration made here has no termination timeout unless given one, and without it
            // Ctrl-C or SIGTERM ends the process at once: no finally, no ProcessExit, local memcached
            // processes and fleet workers left running. With it, the action's token is cancelled and
            // it gets this long to stop its children before the process exits anyway.
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(10) };
            return await parse.InvokeAsync(configuration);
        }
        catch (BenchUsageException ex)
        {
            await Console.Error.WriteLineAsync($"{Name} {parse.CommandResult.Command.Name}: {ex.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM: everything it started has been stopped on the way out.
            await Console.Error.WriteLineAsync($"{Name} {parse.CommandResult.Command.Name}: cancelled.");
            return 130;
        }
    }
}
