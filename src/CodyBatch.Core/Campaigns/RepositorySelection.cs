namespace CodyBatch.Core.Campaigns;

/// <summary>
/// Which repositories a campaign covers: an explicit list and/or the repositories the service account can see
/// that match every filter given (name patterns, organization, topic, primary language). Archived repositories and
/// forks are left out unless asked for. The allowed-repository patterns apply to every repository.
/// </summary>
public sealed record RepositorySelection
{
    /// <summary>Repositories by name (<c>owner/name</c>), taken as they are (an archived one still fails when it runs).</summary>
    public IReadOnlyList<string?>? Repositories { get; init; }

    /// <summary>Name patterns (<c>acme/*</c>, <c>acme/api-*</c>); a visible repository matching any of them is selected.</summary>
    public IReadOnlyList<string?>? Patterns { get; init; }

    /// <summary>Only the repositories of this organization (or user).</summary>
    public string? Organization { get; init; }

    /// <summary>Only repositories with this topic.</summary>
    public string? Topic { get; init; }

    /// <summary>Only repositories whose primary language is this one (case-insensitive).</summary>
    public string? Language { get; init; }

    /// <summary>Keep archived repositories (left out by default).</summary>
    public bool? IncludeArchived { get; init; }

    /// <summary>Keep forks (left out by default).</summary>
    public bool? IncludeForks { get; init; }

    /// <summary>True when the selection filters the visible repositories (as opposed to naming them only).</summary>
    public bool Filters =>
        Patterns is { Count: > 0 } || !string.IsNullOrWhiteSpace(Organization) || !string.IsNullOrWhiteSpace(Topic) || !string.IsNullOrWhiteSpace(Language);
}
