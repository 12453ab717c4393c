namespace CodyBatch.Core.Jobs;

/// <summary>What a job delivers when a repository needed changes.</summary>
public enum JobMode
{
    /// <summary>A pull request where the service account may push, the patch otherwise.</summary>
    PullRequest,
    /// <summary>The patch only.</summary>
    Patch,
}
