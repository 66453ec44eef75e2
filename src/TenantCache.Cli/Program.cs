using System.CommandLine;
using TenantCache.Cli;

var root = new RootCommand("tenantcache: a multi-application, multi-tenant cache with O(1) invalidation.");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(LocateCommand.Create());
root.Subcommands.Add(ClearCommand.Create());
root.Subcommands.Add(CheckCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
try
{
    // Keys may start with "@": no response files.
    return await root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null }).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (CliUsageException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}
