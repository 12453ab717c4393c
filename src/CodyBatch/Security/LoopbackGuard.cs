using System.Net;
using CodyBatch.Core.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CodyBatch.Security;

/// <summary>
/// Without API keys anyone who can reach the server can spend Claude tokens and push branches,
/// so an unauthenticated server listens on loopback only: the start fails otherwise, naming the
/// setting to change.
/// </summary>
internal sealed class LoopbackGuard(IServer server, IOptions<CodyBatchOptions> options) : IHostedLifecycleService
{
    public static string? Problem(IEnumerable<string> addresses, bool hasKeys)
    {
        if (hasKeys)
        {
            return null;
        }

        var exposed = addresses.Where(a => !IsLoopback(a)).ToArray();
        return exposed.Length == 0
            ? null
            : $"Refusing to listen on {string.Join(", ", exposed)} without API keys: anyone who reaches it could run jobs. "
              + "Set CodyBatch:ApiKeys (environment: CodyBatch__ApiKeys__0, __1, …) to require 'Authorization: Bearer <key>', or listen on 127.0.0.1 only (--urls http://127.0.0.1:5080).";
    }

    public static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        // Runs after the server bound its addresses; a bad binding stops the start with the reason.
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var hasKeys = options.Value.ApiKeys.Any(k => !string.IsNullOrWhiteSpace(k));
        return Problem(addresses, hasKeys) is { } problem ? throw new InvalidOperationException(problem) : Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
