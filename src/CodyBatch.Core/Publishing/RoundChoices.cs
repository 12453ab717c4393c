namespace CodyBatch.Core.Publishing;

/// <summary>
/// What a job asks for about follow-up rounds on its pull requests; what is left out takes the server's setting
/// (<c>CodyBatch:Shepherd</c>). Left out altogether, the job follows the server's settings as they are when a cause is weighed.
/// </summary>
public sealed record RoundChoices
{
    /// <summary>Reviews requesting changes or commenting, and line comments, from people with write access start rounds.</summary>
    public bool? Reviews { get; init; }

    /// <summary>Comments mentioning the service account, from people with write access, start rounds.</summary>
    public bool? Mentions { get; init; }

    /// <summary>Checks failing on the head and not on the base branch start rounds.</summary>
    public bool? FailingChecks { get; init; }

    /// <summary>A conflict with the base branch starts a round that rebuilds the change on it.</summary>
    public bool? Conflicts { get; init; }

    /// <summary>Rounds per pull request, 0 to 10.</summary>
    public int? MaxRounds { get; init; }

    /// <summary>What one round's agent may spend, in US dollars (0.01 to 10,000).</summary>
    public decimal? MaxCostUsd { get; init; }
}
