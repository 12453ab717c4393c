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

    /// <summary>The comment left once when a pull request goes past its bound of rounds.</summary>
    [Required(ErrorMessage = "CodyBatch:Shepherd:NeedsAttentionComment must not be empty.")]
    [MinLength(1, ErrorMessage = "CodyBatch:Shepherd:NeedsAttentionComment must not be empty.")]
    public string NeedsAttentionComment { get; set; } = "Cody Batch has used its follow-up rounds on this pull request; a person is needed to take it from here.";
}
