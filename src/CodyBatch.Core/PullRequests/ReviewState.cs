using System.Text.Json.Serialization;

namespace CodyBatch.Core.PullRequests;

/// <summary>The review decision on a pull request (null on a run when nobody reviewed or was asked to).</summary>
public enum ReviewState
{
    /// <summary>Approved, and no reviewer's latest review asks for changes.</summary>
    [JsonStringEnumMemberName("approved")]
    Approved,

    /// <summary>A reviewer's latest review asks for changes.</summary>
    [JsonStringEnumMemberName("changes_requested")]
    ChangesRequested,

    /// <summary>Reviewers were asked and none approved or asked for changes yet.</summary>
    [JsonStringEnumMemberName("review_required")]
    ReviewRequired,
}
