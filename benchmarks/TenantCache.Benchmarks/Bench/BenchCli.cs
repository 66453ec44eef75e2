using System.CommandLine;
using System.CommandLine.Help;
using TenantCache.Benchmarks.Soak;

namespace TenantCache.Benchmarks.Bench;

/// <summary>
/// The <c>bench</c> and <c>soak</c> commands of the benchmarks project, with the tool's rule for
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
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (BenchUsageException ex)
        {
            await Console.Error.WriteLineAsync($"{Name} {parse.CommandResult.Command.Name}: {ex.Message}");
            return 2;
        }
    }
}
