using CodyBatch.Core.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodyBatch.Tests;

/// <summary>The real Claude agent of the product, talking to the in-process Messages API.</summary>
internal static class RealClaude
{
    /// <summary>Clients of <paramref name="api"/>, configured the way the product reads its environment.</summary>
    public static ClaudeClientFactory Clients(FakeMessagesApi api) => new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ANTHROPIC_API_KEY"] = api.ApiKey,
        ["ANTHROPIC_BASE_URL"] = api.BaseUrl,
    }).Build());

    /// <summary>The agent over <paramref name="clients"/> with <paramref name="options"/> (a one-second retry backoff unless they say otherwise).</summary>
    public static ClaudeCodeAgent Agent(ClaudeClientFactory clients, ClaudeOptions? options = null) => new(
        clients,
        new JobPrefixGate(TimeProvider.System),
        Options.Create(options ?? new ClaudeOptions { RetryBackoff = TimeSpan.FromSeconds(1) }),
        Options.Create(new WorkspaceOptions()),
        TimeProvider.System,
        NullLogger<ClaudeCodeAgent>.Instance);
}
