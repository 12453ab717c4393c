namespace CodyBatch.Core.Runs;

/// <summary>The stage of one repository run.</summary>
public enum RunStatus
{
    /// <summary>Waiting for a worker.</summary>
    Queued,
    /// <summary>Resolving the repository and fetching its snapshot.</summary>
    Fetching,
    /// <summary>The code agent is working in the workspace.</summary>
    Analyzing,
    /// <summary>Creating the patch and, where allowed, the pull request.</summary>
    Publishing,
    /// <summary>Ended with a result.</summary>
    Succeeded,
    /// <summary>Ended with an error.</summary>
    Failed,
    /// <summary>Stopped by a user before it ended.</summary>
    Cancelled,
    /// <summary>
    /// A budget (turns, tokens, cost) ran out before the agent submitted a result; the work so far is
    /// kept — the patch, and in pull-request mode a draft pull request marked incomplete. Can be retried.
    /// </summary>
    Incomplete,
}
