using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace TenantCache.Cli;

/// <summary>
/// <c>tenantcache clear --servers LIST --app APP [--tenant T] [--scope S]... [--tag TAG] [--token-window MS]</c>:
/// invalidates an application, a tenant, a deeper scope or a tag, in O(1), and says how long the call
/// took: the engine returns only after the reuse window the replaced token promised (up to 1 s).
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
        var tokenWindow = CliOptions.TokenWindow("recorded with the new token (what later clears of it wait for)");
        var command = new Command("clear", "Invalidate an application, a tenant, a sub-scope or a tag.");
        command.Options.Add(servers);
        command.Options.Add(app);
        command.Options.Add(tenant);
        command.Options.Add(scopes);
        command.Options.Add(tag);
        command.Options.Add(tokenWindow);
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

            var window = Check.CheckOptions.ParseWindow(parseResult.GetValue(tokenWindow));
            await using var cli = CliStore.Open(parseResult.GetValue(servers));
            var cache = Checked("--app", () => new ApplicationCache(cli.Store, new TenantCacheOptions { Application = parseResult.GetValue(app)!, TokenReuseWindow = window }, cli.Logger));
            try
            {
                if (tagName is not null)
                {
                    var started = Stopwatch.GetTimestamp();
                    await CheckedAsync("--tag", () => cache.InvalidateTagAsync(tagName, cancellationToken));
                    await Console.Out.WriteLineAsync($"Cleared tag {tagName} of application {cache.Application}{Took(started)}.");
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

                var began = Stopwatch.GetTimestamp();
                await scope.InvalidateAsync(cancellationToken);
                await Console.Out.WriteLineAsync(tenantId is null
                    ? $"Cleared application {cache.Application}{Took(began)}."
                    : $"Cleared {string.Join('/', scope.Path)} of application {cache.Application}{Took(began)}.");
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

    /// <summary>
    /// How long the invalidation took: its round trips and the wait inside it (the window the replaced
    /// token's writer promised, which readers elsewhere may still be using it for; 1 s when the old token
    /// was missing or unreadable).
    /// </summary>
    private static string Took(long started) => string.Create(
        CultureInfo.InvariantCulture,
        $" in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms, the wait for the replaced token's reuse window included");

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
