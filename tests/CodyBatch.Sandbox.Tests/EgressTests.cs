using System.Collections.Concurrent;
using CodyBatch.Sandbox.Egress;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodyBatch.Sandbox.Tests;

/// <summary>The egress allow-list proxy as the shell's only way out: allowed names get through, everything else is refused at once.</summary>
public sealed class EgressTests : IAsyncLifetime
{
    private readonly RunFolders _run = new("codybatch-egress");
    private readonly ConcurrentQueue<EgressDecision> _decisions = new();
    private WebApplication _server = null!;
    private string _address = "";

    public async Task InitializeAsync()
    {
        (_server, _address) = await LocalServer.StartAsync(app => app.MapGet("/hello", (HttpContext context) => $"hello from {context.Request.Host}"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _run.Dispose();
    }

    [Fact]
    public async Task An_allowed_name_mapped_to_a_test_server_is_reached_over_http_and_through_a_connect_tunnel()
    {
        await using var proxy = await StartProxyAsync(["registry.test"]);
        await using var session = await Shell.StartAsync(Shell.Factory(), _run.Repository, _run.Home, new SandboxNetwork(_run.Socket, ["registry.test"]));

        var plain = await session.RunAsync("curl -sS --max-time 10 http://registry.test/hello", CancellationToken.None);
        var tunnel = await session.RunAsync("curl -sS --max-time 10 --proxytunnel http://registry.test/hello; echo; env | grep -i _proxy | sort", CancellationToken.None);

        Assert.True(plain.ExitCode == 0, plain.Output);
        Assert.Equal("hello from registry.test", plain.Output);
        Assert.True(tunnel.ExitCode == 0, tunnel.Output);
        Assert.StartsWith("hello from registry.test\n", tunnel.Output, StringComparison.Ordinal);
        Assert.Contains("HTTPS_PROXY=http://127.0.0.1:3128", tunnel.Output, StringComparison.Ordinal);
        Assert.All(_decisions, d => Assert.True(d.Allowed));
    }

    [Fact]
    public async Task A_name_off_the_list_and_the_hosts_own_loopback_are_refused_at_once_and_the_refusal_recorded()
    {
        var port = new Uri(_address).Port;
        await using var proxy = await StartProxyAsync(["registry.test"]);
        await using var session = await Shell.StartAsync(Shell.Factory(), _run.Repository, _run.Home, new SandboxNetwork(_run.Socket, ["registry.test"]));

        var elsewhere = await session.RunAsync("curl -sS --max-time 60 http://example.com/ ; echo; curl -sS --max-time 60 https://example.com/ 2>&1", CancellationToken.None);
        var host = await session.RunAsync($"curl -sS --max-time 60 --noproxy '' http://127.0.0.1:{port}/hello; echo; curl -sS --max-time 60 --noproxy '' http://localhost:{port}/hello", CancellationToken.None);
        var direct = await session.RunAsync($"curl -sS --max-time 60 --noproxy '*' http://127.0.0.1:{port}/hello 2>&1", CancellationToken.None);

        Assert.Contains("Cody Batch egress proxy: example.com is not on this run's egress allow-list (registry.test); the connection was refused.", elsewhere.Output, StringComparison.Ordinal);
        Assert.Contains("CONNECT tunnel failed, response 403", elsewhere.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("hello from", host.Output, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1 is not on this run's egress allow-list", host.Output, StringComparison.Ordinal);
        Assert.Contains("localhost is not on this run's egress allow-list", host.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, direct.ExitCode);
        Assert.Contains("Couldn't connect to server", direct.Output, StringComparison.Ordinal);
        Assert.Contains(_decisions, d => d is { Host: "example.com", Port: 80, Allowed: false });
        Assert.Contains(_decisions, d => d is { Host: "example.com", Port: 443, Allowed: false });
        Assert.DoesNotContain(_decisions, d => d.Allowed);
    }

    [Fact]
    public async Task An_allowed_name_that_resolves_to_a_loopback_address_is_refused_unless_the_operator_mapped_it()
    {
        var policy = new EgressPolicy(["localhost", "registry.test"], new Dictionary<string, string> { ["registry.test"] = "127.0.0.1:4873" }, TimeSpan.FromSeconds(5));

        var (loopback, refusal) = await policy.ResolveAsync("localhost", 80, CancellationToken.None);
        var (mapped, _) = await policy.ResolveAsync("registry.test", 443, CancellationToken.None);
        var (sub, _) = await policy.ResolveAsync("a.registry.test", 443, CancellationToken.None);
        var (lookalike, lookalikeRefusal) = await policy.ResolveAsync("evilregistry.test", 443, CancellationToken.None);

        Assert.Null(loopback);
        Assert.Contains("resolves to no public address", refusal, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1:4873", mapped!.ToString());
        Assert.Null(sub);
        Assert.Null(lookalike);
        Assert.Contains("not on this run's egress allow-list", lookalikeRefusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_network_a_connection_fails_at_once_instead_of_hanging()
    {
        await using var session = await Shell.StartAsync(Shell.Factory(shell: s => s.CommandTimeout = TimeSpan.FromMinutes(5)), _run.Repository, _run.Home);

        var result = await session.RunAsync("curl -sS http://registry.npmjs.org/ 2>&1; python3 -c \"import socket; socket.create_connection(('1.1.1.1', 443))\" 2>&1 | tail -1", CancellationToken.None);

        Assert.Null(result.Limit);

        // The proxy variables point at a port that refuses on the sandbox's own loopback; a direct connection has no route.
        Assert.Contains("Failed to connect to 127.0.0.1 port 9", result.Output, StringComparison.Ordinal);
        Assert.Contains("Network is unreachable", result.Output, StringComparison.Ordinal);
    }

    private Task<IAsyncDisposable> StartProxyAsync(IReadOnlyList<string> allowed)
    {
        var options = new EgressOptions { HostAddresses = { ["registry.test"] = new Uri(_address).Authority } };
        return new EgressProxyFactory(Options.Create(options)).StartAsync(_run.Socket, allowed, _decisions.Enqueue, CancellationToken.None);
    }
}
