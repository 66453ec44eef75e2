using System.Text.Json;

namespace TenantCache.Tests.Cli;

public sealed class LocateCommandTests
{
    [Fact]
    public async Task Locate_prints_the_libmemcached_placement_of_every_vector_key()
    {
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "testdata", "ketama-libmemcached.json")));
        foreach (var config in json.RootElement.GetProperty("configs").EnumerateArray())
        {
            var servers = config.GetProperty("servers").EnumerateArray().Select(s => s.GetString()!).ToArray();
            if (config.GetProperty("weights") is { ValueKind: JsonValueKind.Array } weights)
            {
                servers = servers.Zip(weights.EnumerateArray(), (s, w) => $"{s}:{w.GetInt32()}").ToArray();
            }

            var expect = config.GetProperty("expect").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            var (exit, stdout, stderr) = await RunCliAsync(["locate", "--servers", string.Join(',', servers), "--", .. expect.Keys]);

            Assert.True(exit == 0, stderr);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(expect.Count, lines.Length);
            foreach (var line in lines)
            {
                var parts = line.Split('\t');
                Assert.Equal(expect[parts[0]], parts[1]);
            }
        }
    }

    [Fact]
    public async Task Locate_rejects_a_bad_server_list_with_a_message()
    {
        var (exit, _, stderr) = await RunCliAsync(["locate", "--servers", "127.0.0.1:notaport", "k"]);
        Assert.Equal(2, exit);
        Assert.Contains("--servers", stderr);
    }

    internal static Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(string[] args) => CliProcess.ToolAsync(args);
}
