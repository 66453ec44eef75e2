using System.CommandLine;
using Microsoft.Extensions.Logging;
using TenantCache.Stores;

namespace TenantCache.Cli;

/// <summary>
/// <c>tenantcache demo</c>: the scenario the project grew from. Two tenants of one application,
/// one cleared without touching the other; then two applications sharing a store, one cleared
/// without touching the other.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var servers = CliOptions.Servers(required: false);
        var command = new Command("demo", "Show per-tenant and per-application clears (in process, or on memcached with --servers).");
        command.Options.Add(servers);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var cli = CliStore.Open(parseResult.GetValue(servers));
            try
            {
                await RunAsync(cli.Store, Console.Out, cli.Logger, cancellationToken);
                return 0;
            }
            catch (CacheInvalidationException ex)
            {
                await Console.Error.WriteLineAsync($"The demo stopped: a clear could not be recorded ({ex.InnerException?.Message ?? ex.Message}).");
                return 1;
            }
        });
        return command;
    }

    public static async Task RunAsync(ICacheStore store, TextWriter output, ILogger<ApplicationCache>? logger = null, CancellationToken cancellationToken = default)
    {
        // Application names carry a "demo." prefix so that a demo against a shared memcached never
        // touches a real application's entries.
        var weather = new ApplicationCache(store, new TenantCacheOptions { Application = "demo.weather" }, logger);
        var lisboa = weather.Tenant("Lisboa");
        var barcelona = weather.Tenant("Barcelona");

        await output.WriteLineAsync("Setting Lisboa cache...");
        await lisboa.SetAsync("/info", "2 days", cancellationToken: cancellationToken);
        await PrintAsync(output, "Lisboa cached /info is: ", lisboa, cancellationToken);
        await output.WriteLineAsync("Setting Barcelona cache...");
        await barcelona.SetAsync("/info", "3 days", cancellationToken: cancellationToken);
        await PrintAsync(output, "Barcelona cached /info is: ", barcelona, cancellationToken);
        await output.WriteLineAsync("Clearing Barcelona cache...");
        await barcelona.InvalidateAsync(cancellationToken);
        await PrintAsync(output, "Barcelona cached /info is: ", barcelona, cancellationToken);
        await PrintAsync(output, "Lisboa cached /info is: ", lisboa, cancellationToken);

        await output.WriteLineAsync();
        await output.WriteLineAsync("Two applications, weather and news, share the same store:");
        var news = new ApplicationCache(store, new TenantCacheOptions { Application = "demo.news" }, logger);
        await output.WriteLineAsync("Setting weather cache for Lisboa...");
        await lisboa.SetAsync("/info", "2 days", cancellationToken: cancellationToken);
        await output.WriteLineAsync("Setting news cache for Lisboa...");
        await news.Tenant("Lisboa").SetAsync("/info", "5 headlines", cancellationToken: cancellationToken);
        await output.WriteLineAsync("Clearing the whole weather application...");
        await weather.InvalidateAsync(cancellationToken);
        await PrintAsync(output, "weather: Lisboa cached /info is: ", lisboa, cancellationToken);
        await PrintAsync(output, "news: Lisboa cached /info is: ", news.Tenant("Lisboa"), cancellationToken);
    }

    private static async Task PrintAsync(TextWriter output, string label, ICacheScope scope, CancellationToken cancellationToken)
    {
        var result = await scope.GetAsync<string>("/info", cancellationToken);
        await output.WriteLineAsync(label + (result.HasValue ? result.Value : "None"));
    }
}
