namespace CodyBatch.Core.Prompts;

/// <summary>What a user sends to create or replace a saved prompt.</summary>
public sealed record SavedPromptRequest
{
    /// <summary>What the picker shows (1 to 100 characters).</summary>
    public string? Name { get; init; }

    /// <summary>One sentence on what it does (up to 500 characters).</summary>
    public string? Description { get; init; }

    /// <summary>The prompt text (1 to 20,000 characters).</summary>
    public string? Prompt { get; init; }

    /// <summary><c>pullRequest</c> (default) or <c>patch</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>Up to 10 check commands.</summary>
    public IReadOnlyList<string?>? Checks { get; init; }

    /// <summary>The model; the configured default when absent.</summary>
    public string? Model { get; init; }

    /// <summary>False to give the jobs that use it no shell; the server's setting (CodyBatch:Shell:Enabled) when absent. It can narrow the server's setting, never widen it.</summary>
    public bool? Shell { get; init; }

    /// <summary><c>registries</c> or <c>none</c>: what the setup and shell of the jobs that use it may reach; the server's setting (CodyBatch:Egress:Network) when absent.</summary>
    public string? Network { get; init; }
}
