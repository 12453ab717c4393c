using CodyBatch.Core.Repositories;

namespace CodyBatch.Core.Jobs;

/// <summary>A request that passed validation, normalised (trimmed, defaults applied).</summary>
public sealed record ValidJobRequest(
    string Prompt,
    string? Title,
    JobMode Mode,
    string Model,
    IReadOnlyList<RequestedRepository> Repositories,
    int? ThinkingBudgetTokens = null,
    Publishing.PublishSettings? Publish = null)
{
    /// <summary>The job's check command lines (trimmed); null for each repository's own.</summary>
    public IReadOnlyList<string>? Checks { get; init; }

    /// <summary>Whether the job's runs give Claude a shell (the server's setting when the request left it out).</summary>
    public bool Shell { get; init; } = true;

    /// <summary>Most the job may cost in US dollars, all its runs together; null for no job budget.</summary>
    public decimal? BudgetUsd { get; init; }

    /// <summary>What the job's setup and shell may reach (the server's setting when the request left it out).</summary>
    public JobNetwork Network { get; init; } = JobNetwork.Registries;
}

/// <summary>Either a valid request or the messages per field.</summary>
public sealed record ValidationResult(ValidJobRequest? Request, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>True when there is nothing to fix.</summary>
    public bool IsValid => Request is not null;

    /// <summary>A valid result.</summary>
    public static ValidationResult Valid(ValidJobRequest request) => new(request, new Dictionary<string, string[]>());

    /// <summary>An invalid result.</summary>
    public static ValidationResult Invalid(IReadOnlyDictionary<string, string[]> errors) => new(null, errors);
}
