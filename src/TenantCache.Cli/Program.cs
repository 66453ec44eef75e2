using System.CommandLine;

var root = new RootCommand("TenantCache: a multi-tenant cache with O(1) invalidation.");
return await root.Parse(args).InvokeAsync();
