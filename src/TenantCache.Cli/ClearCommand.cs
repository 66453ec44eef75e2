using System.CommandLine;

namespace TenantCache.Cli;

/// <summary>
/// <c>tenantcache clear --servers LIST --app APP [--tenant T] [--scope S]... [--tag TAG]</c>:
/// invalidates an application, a tenant, a deeper scope or a tag, in O(1).
/// </summary>
internal static class ClearCommand
{
    public static Command Create()
    {
        var servers = CliOptions.Servers(required: true);
        var app = new Option<string>("--app") { Description = "The application.", Required = true };
        var tenant = new Option<string?>("--tenant") { Description = "A tenant of the application; without it the whole application is cleared." };
        var scopes = new Option<string[]>("--scope") { Description = "Deeper scopes below the tenant, outermost first (repeatable).", AllowMultipleArgumentsPerToken = false };
        var tag = new Option<string?>("--tag") { Description = "Clear a tag of the application instead of a scope." };
        var command = new Command("clear", "Invalidate an application, a tenant, a sub-scope or a tag.");
        command.Options.Add(servers);
        command.Options.Add(app);
        command.Options.Add(tenant);
        command.Options.Add(scopes);
        command.Options.Add(tag);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var scopeNames = parseResult.GetValue(scopes) ?? [];
            var tenantId = parseResult.GetValue(tenant);
            var tagName = parseResult.GetValue(tag);
            if (tagName is not null && (tenantId is not null || scopeNames.Length > 0))
            {
                throw new CliUsageException("--tag clears an application-wide tag: give it without --tenant or --scope.");
            }

            if (tenantId is null && scopeNames.Length > 0)
            {
                throw new CliUsageException("--scope needs --tenant.");
            }

            await using var cli = CliStore.Open(parseResult.GetValue(servers));
            var cache = Checked("--app", () => new ApplicationCache(cli.Store, new TenantCacheOptions { Application = parseResult.GetValue(app)! }, cli.Logger));
            try
            {
                if (tagName is not null)
                {
                    await CheckedAsync("--tag", () => cache.InvalidateTagAsync(tagName, cancellationToken));
                    await Console.Out.WriteLineAsync($"Cleared tag {tagName} of application {cache.Application}.");
                    return 0;
                }

                ICacheScope scope = cache;
                if (tenantId is not null)
                {
                    scope = Checked("--tenant", () => cache.Tenant(tenantId));
                    foreach (var name in scopeNames)
                    {
                        scope = Checked("--scope", () => scope.Scope(name));
                    }
                }

                await scope.InvalidateAsync(cancellationToken);
                await Console.Out.WriteLineAsync(tenantId is null
                    ? $"Cleared application {cache.Application}."
                    : $"Cleared {string.Join('/', scope.Path)} of application {cache.Application}.");
                return 0;
            }
            catch (CacheInvalidationException ex)
            {
                await Console.Error.WriteLineAsync($"The clear could not be recorded: {ex.InnerException?.Message ?? ex.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Runs <paramref name="step"/>, saying a rejected value about <paramref name="option"/>.</summary>
    private static T Checked<T>(string option, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (ArgumentException ex)
        {
            throw CliUsageException.For(option, ex);
        }
    }

    private static async Task CheckedAsync(string option, Func<ValueTask> step)
    {
        try
        {
            await step();
        }
        catch (ArgumentException ex)
        {
            throw CliUsageException.For(option, ex);
        }
    }
}
