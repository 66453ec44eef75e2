using TenantCache.Memcached;

namespace TenantCache.Tests.Memcached;

public sealed class ServerEndpointTests
{
    [Theory]
    [InlineData("10.0.0.1:11211", "10.0.0.1", 11211, 1)]
    [InlineData(" cache-1.internal:11311:3 ", "cache-1.internal", 11311, 3)]
    [InlineData("[::1]:11211", "::1", 11211, 1)]
    [InlineData("[fe80::1]:1:2", "fe80::1", 1, 2)]
    public void Parses_host_port_weight(string text, string host, int port, int weight)
    {
        var e = ServerEndpoint.Parse(text);
        Assert.Equal(host, e.Host);
        Assert.Equal(port, e.Port);
        Assert.Equal(weight, e.Weight);
    }

    [Theory]
    [InlineData("")]
    [InlineData("host")]
    [InlineData(":11211")]
    [InlineData("host:")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:-1")]
    [InlineData("host:abc")]
    [InlineData("host:11211:0")]
    [InlineData("host:11211:x")]
    [InlineData("host:1:2:3")]
    [InlineData("[::1]")]
    [InlineData("ho st:11211")]
    public void Rejects_bad_endpoints_with_format_exception(string text)
    {
        var error = Assert.Throws<FormatException>(() => ServerEndpoint.Parse(text));
        Assert.Contains("memcached server", error.Message);
    }

    [Fact]
    public void Parses_lists_and_rejects_empty_or_duplicate()
    {
        var list = ServerEndpoint.ParseList("a:1, b:2:5 ,c:3");
        Assert.Equal(["a:1", "b:2", "c:3"], list.Select(e => e.ToString()));
        Assert.Equal(5, list[1].Weight);
        Assert.Throws<FormatException>(() => ServerEndpoint.ParseList(" , "));
        Assert.Throws<ArgumentException>(() => ServerEndpoint.ParseList("a:1,a:1:2"));
    }

    [Fact]
    public void Locate_needs_no_connection_and_matches_the_instance()
    {
        var servers = ServerEndpoint.ParseList("10.0.0.1:11211,10.0.0.2:11211,10.0.0.3:11211");
        Assert.Equal("10.0.0.2:11211", MemcachedClient.Locate(servers, "foo").ToString());
        using var client = new MemcachedClient(new MemcachedOptions { Servers = "10.0.0.1:11211,10.0.0.2:11211,10.0.0.3:11211" });
        Assert.Equal("10.0.0.1:11211", client.Locate("tenant:42:user:7").ToString());
    }

    [Fact]
    public void Options_validation_lists_every_problem()
    {
        var options = new MemcachedOptions
        {
            Servers = "",
            OperationTimeout = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromSeconds(-1),
            ConnectionsPerServer = 0,
            FailureThreshold = 0,
            RetryDelay = TimeSpan.FromSeconds(5),
            MaxRetryDelay = TimeSpan.FromSeconds(1),
        };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        foreach (var name in new[] { "Servers", "OperationTimeout", "ConnectTimeout", "ConnectionsPerServer", "FailureThreshold", "MaxRetryDelay" })
        {
            Assert.Contains(name, error.Message);
        }

        new MemcachedOptions { Servers = "127.0.0.1:11211" }.Validate();
        var withEndpoints = new MemcachedOptions();
        withEndpoints.Endpoints.Add(new ServerEndpoint("127.0.0.1"));
        withEndpoints.Validate();
    }
}
