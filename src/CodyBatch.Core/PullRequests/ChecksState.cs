namespace CodyBatch.Core.PullRequests;

/// <summary>The combined view of a head commit's check runs and commit statuses.</summary>
public enum ChecksState
{
    /// <summary>No check run and no commit status reported on the head commit.</summary>
    None,

    /// <summary>At least one is still running and none failed.</summary>
    Pending,

    /// <summary>Every one finished well.</summary>
    Success,

    /// <summary>At least one failed, errored, timed out or was cancelled.</summary>
    Failure,
}
