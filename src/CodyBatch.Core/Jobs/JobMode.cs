namespace CodyBatch.Core.Jobs;

/// <summary>What a job delivers when a repository needed changes.</summary>
public enum JobMode
{
    /// <summary>A pull request where the service account may push, the patch otherwise.</summary>
    PullRequest,
    /// <summary>The patch only.</summary>
    Patch,
    /// <summary>
    /// A read-only pass: Claude reads the repository (overview, search, read) and answers whether the
    /// prompt's change is necessary there, with a reason and a confidence. No setup, checks, edits or publishing.
    /// </summary>
    Triage,
}
