using System.CommandLine;
using TenantCache.Cli;

var root = new RootCommand("tenantcache: a multi-application, multi-tenant cache with O(1) invalidation.");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(CheckCommand.Create());
return await root.Parse(args).InvokeAsync();
