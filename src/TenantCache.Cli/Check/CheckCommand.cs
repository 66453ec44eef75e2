using System.CommandLine;
using TenantCache.Cli.Check;

namespace TenantCache.Cli;

/// <summary>
/// <c>tenantcache check</c>: a randomized, concurrent checker of the invariants of DESIGN.md
/// (docs/guarantees.md). Exits 0 when no violation was found, 1 when some were, 2 on bad options.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "How long the workers run.", DefaultValueFactory = _ => 10 };
        var workers = new Option<int>("--workers") { Description = "Concurrent workers.", DefaultValueFactory = _ => 8 };
        var seed = new Option<int?>("--seed") { Description = "Seed of the random choices (default: random, printed)." };
        var apps = new Option<int>("--apps") { Description = "Applications sharing the store.", DefaultValueFactory = _ => 2 };
        var tenants = new Option<int>("--tenants") { Description = "Tenants per application.", DefaultValueFactory = _ => 3 };
        var subScopes = new Option<int>("--subscopes") { Description = "Sub-scopes per tenant.", DefaultValueFactory = _ => 2 };
        var keys = new Option<int>("--keys") { Description = "Keys per scope.", DefaultValueFactory = _ => 8 };
        var tags = new Option<int>("--tags") { Description = "Tags per application (0-8).", DefaultValueFactory = _ => 3 };
        var clients = new Option<int>("--clients") { Description = "Cache instances per application over the shared store (like processes).", DefaultValueFactory = _ => 2 };
        var faults = new Option<string>("--faults")
        {
            Description = "Faults to inject, comma-separated: none, restart, pause, kill, relay, evict, all. " +
                "Only 'none' runs today (the in-process store); the others need the memcached store.",
            DefaultValueFactory = _ => "none",
        };
        var show = new Option<int>("--show") { Description = "Violations to print with their histories.", DefaultValueFactory = _ => 5 };

        var command = new Command("check", "Run random concurrent operations and judge every read against the invariants (docs/guarantees.md).");
        foreach (var option in new Option[] { seconds, workers, seed, apps, tenants, subScopes, keys, tags, clients, faults, show })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new CheckOptions
            {
                Seconds = parseResult.GetValue(seconds),
                Workers = parseResult.GetValue(workers),
                Apps = parseResult.GetValue(apps),
                Tenants = parseResult.GetValue(tenants),
                SubScopes = parseResult.GetValue(subScopes),
                Keys = parseResult.GetValue(keys),
                Tags = parseResult.GetValue(tags),
                Clients = parseResult.GetValue(clients),
                Faults = CheckOptions.ParseFaults(parseResult.GetValue(faults)),
                Show = parseResult.GetValue(show),
            };
            if (parseResult.GetValue(seed) is { } chosen)
            {
                options.Seed = chosen;
            }

            return await RunAsync(options, CheckTarget.InProcess(), Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>Runs a check and prints its report; returns the exit code (0 clean, 1 violations, 2 bad options).</summary>
    public static async Task<int> RunAsync(CheckOptions options, CheckTarget target, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (options.Validate() is { } problem)
        {
            await error.WriteLineAsync("check: " + problem);
            return 2;
        }

        await output.WriteLineAsync(options.Describe(target));
        await output.FlushAsync(cancellationToken);
        var result = await new CheckRunner(options, target).RunAsync(cancellationToken);
        result.Summary.Write(output, result, options.Show);
        await output.FlushAsync(CancellationToken.None);
        return result.Summary.Violations > 0 ? 1 : 0;
    }
}
