using System.CommandLine;
using System.CommandLine.Help;

namespace TenantCache.Cli;

/// <summary>
/// The <c>tenantcache</c> command line: its commands, and one rule for mistakes. A usage error (an
/// unknown option, a missing or malformed value) is one line on standard error naming the option, and
/// exit code 2; the help is printed only when asked for.
/// </summary>
internal static class TenantCacheCommand
{
    /// <summary>The name users type (the tool's command name), shown in help and messages.</summary>
    public const string Name = "tenantcache";

    /// <summary>The command tree. A plain <see cref="Command"/> named <see cref="Name"/>, not a <see cref="RootCommand"/>, whose name would be the assembly's.</summary>
    public static Command Create()
    {
        var root = new Command(Name, "A multi-application, multi-tenant cache with O(1) invalidation.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(LocateCommand.Create());
        root.Subcommands.Add(ClearCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        // Keys may start with "@": no response files.
        var parse = Create().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            var command = CommandPath(parse.CommandResult);
            await Console.Error.WriteLineAsync($"{command}: {string.Join(' ', parse.Errors.Select(e => e.Message))} See '{command} --help'.");
            return 2;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliUsageException ex)
        {
            await Console.Error.WriteLineAsync($"{CommandPath(parse.CommandResult)}: {ex.Message}");
            return 2;
        }
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var current = result; current is not null; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, current.Command.Name);
        }

        return string.Join(' ', names);
    }
}
