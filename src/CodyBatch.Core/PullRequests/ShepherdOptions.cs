using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.PullRequests;

/// <summary>Settings under <c>CodyBatch:Shepherd</c>: follow-up rounds on Cody Batch's own pull requests.</summary>
public sealed class ShepherdOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Shepherd";

    /// <summary>
    /// The service account's GitHub login (a GitHub App's is <c>slug[bot]</c>): comments that mention it may start a
    /// round, and nothing it wrote ever does. Unset: reviews and comments start no round.
    /// </summary>
    [RegularExpression(@"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?$", ErrorMessage = "CodyBatch:Shepherd:Handle must be a GitHub login such as codybatch-bot (or an App's codybatch[bot]), without @.")]
    public string? Handle { get; set; }

    /// <summary>Follow-up rounds per pull request; past them a comment says a person is needed.</summary>
    [Range(0, 10, ErrorMessage = "CodyBatch:Shepherd:MaxRounds must be between 0 and 10.")]
    public int MaxRounds { get; set; } = 2;

    /// <summary>Server default: reviews requesting changes or commenting, and line comments, start rounds.</summary>
    public bool Reviews { get; set; } = true;

    /// <summary>Server default: comments mentioning the service account start rounds.</summary>
    public bool Mentions { get; set; } = true;

    /// <summary>Server default: checks failing on the head (and not on the base branch) start rounds.</summary>
    public bool FailingChecks { get; set; } = true;

    /// <summary>Server default: a conflict with the base branch starts a round that rebuilds the change on it.</summary>
    public bool Conflicts { get; set; } = true;

    /// <summary>Server default: what one round's agent may spend, in US dollars.</summary>
    [Range(typeof(decimal), "0.01", "10000", ErrorMessage = "CodyBatch:Shepherd:RoundMaxCostUsd must be between 0.01 and 10,000.")]
    public decimal RoundMaxCostUsd { get; set; } = 2m;

    /// <summary>The server's defaults as a policy (a job's own settings replace them).</summary>
    public RoundPolicy Policy => new(Reviews, Mentions, FailingChecks, Conflicts, MaxRounds, RoundMaxCostUsd);

    /// <summary>The comment left once when a pull request goes past its bound of rounds.</summary>
    [Required(ErrorMessage = "CodyBatch:Shepherd:NeedsAttentionComment must not be empty.")]
    [MinLength(1, ErrorMessage = "CodyBatch:Shepherd:NeedsAttentionComment must not be empty.")]
    public string NeedsAttentionComment { get; set; } = "Cody Batch has used its follow-up rounds on this pull request; a person is needed to take it from here.";
}
