using CodyBatch.Core.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CodyBatch.Core.Tests.Hosting;

/// <summary>Background loops registered to start after the host: built and started only once every hosted service has started.</summary>
public sealed class StartedAfterHostTests
{
    [Fact]
    public async Task The_loop_is_built_and_started_after_every_other_hosted_service_and_stopped_with_the_host()
    {
        var events = new List<string>();
        var builder = Host.CreateApplicationBuilder();
        // Registered first, yet started last: the server (registered last by a web host) listens before it is built.
        builder.Services.AddHostedServiceAfterStart(_ =>
        {
            events.Add("loop built");
            return new Recording("loop", events);
        });
        builder.Services.AddHostedService(_ => new Recording("server", events));
        using var host = builder.Build();

        Assert.Equal(2, host.Services.GetServices<IHostedService>().Count());
        Assert.Empty(events);

        await host.StartAsync();
        Assert.Equal(["server started", "loop built", "loop started"], events);

        // Stopped in reverse order of registration, as any hosted service: a web host's server (registered last) first.
        await host.StopAsync();
        Assert.Equal(["server started", "loop built", "loop started", "server stopped", "loop stopped"], events);
    }

    [Fact]
    public async Task A_host_that_fails_to_start_never_builds_the_loop()
    {
        var built = false;
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHostedServiceAfterStart(_ =>
        {
            built = true;
            return new Recording("loop", []);
        });
        builder.Services.AddHostedService(_ => new Failing());
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Equal("The store cannot be opened.", failure.Message);
        await host.StopAsync();
        Assert.False(built);
    }

    private sealed class Recording(string name, List<string> events) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            events.Add($"{name} started");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            events.Add($"{name} stopped");
            return Task.CompletedTask;
        }
    }

    private sealed class Failing : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("The store cannot be opened.");

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
