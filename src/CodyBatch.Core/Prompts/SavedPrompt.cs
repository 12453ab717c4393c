using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.Prompts;

/// <summary>A user's own prompt template, kept beside the built-in ones.</summary>
public sealed record SavedPrompt
{
    /// <summary>Identifier (<c>prompt-</c> and 26 characters that sort by creation time).</summary>
    public required string Id { get; init; }

    /// <summary>What the picker shows.</summary>
    public required string Name { get; init; }

    /// <summary>One sentence on what it does; may be empty.</summary>
    public string Description { get; init; } = "";

    /// <summary>The prompt text.</summary>
    public required string Prompt { get; init; }

    /// <summary>The mode that suits it.</summary>
    public JobMode Mode { get; init; } = JobMode.PullRequest;

    /// <summary>The checks (test, build, lint commands) to run, when the prompt names any.</summary>
    public IReadOnlyList<string> Checks { get; init; } = [];

    /// <summary>The model; the configured default when null.</summary>
    public string? Model { get; init; }

    /// <summary>False to give the jobs that use it no shell; null follows the server (CodyBatch:Shell:Enabled). Null for prompts stored before the field.</summary>
    public bool? Shell { get; init; }

    /// <summary>What the setup and shell of the jobs that use it may reach; null follows the server (CodyBatch:Egress:Network). Null for prompts stored before the field.</summary>
    public JobNetwork? Network { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who created it (a key's name, <c>local</c>); null for prompts from before authorship was recorded.</summary>
    public string? Author { get; init; }

    /// <summary>When it was last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Optimistic-concurrency version; stores increment it on every successful update.</summary>
    public long Version { get; init; }
}
