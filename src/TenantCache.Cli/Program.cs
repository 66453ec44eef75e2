using TenantCache.Cli;

return await TenantCacheCommand.RunAsync(args);
