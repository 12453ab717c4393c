namespace CodyBatch.Tests;

/// <summary>
/// <see cref="ServerOnFakeGitHub"/> with the real Claude agent behind the server, talking to an in-process fake
/// Messages API; one of each per test. A test class sets <see cref="AgentOptions"/> for other agent settings.
/// </summary>
public abstract class ClaudeOnFakeGitHub : ServerOnFakeGitHub
{
    private ClaudeClientFactory _clients = null!;

    /// <summary>The fake Messages API the agent asks; a test enqueues Claude's answers on it.</summary>
    protected FakeMessagesApi Claude { get; private set; } = null!;

    /// <summary>What the agent runs with (null: the defaults).</summary>
    protected virtual ClaudeOptions? AgentOptions => null;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Claude = await FakeMessagesApi.StartAsync();
        _clients = RealClaude.Clients(Claude);
        Factory.Agent = RealClaude.Agent(_clients, AgentOptions);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Claude.DisposeAsync();
        _clients.Dispose();
    }
}
