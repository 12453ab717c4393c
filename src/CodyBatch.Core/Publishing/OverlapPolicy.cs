namespace CodyBatch.Core.Publishing;

/// <summary>What publishing does when an open pull request (from anyone) already touches a file the change touches.</summary>
public enum OverlapPolicy
{
    /// <summary>Open the pull request anyway and name the overlapping ones in the run's notice.</summary>
    Note,
    /// <summary>Open nothing: keep the change as a patch, with the notice; it can be published later.</summary>
    Hold,
}
