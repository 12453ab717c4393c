namespace CodyBatch.Core.Campaigns;

/// <summary>Where a campaign is: preview → triage → canary → awaitingApproval → fanOut → done (or stoppedAtBudget, cancelled).</summary>
public enum CampaignPhase
{
    /// <summary>The selection is resolved and shown; nothing runs until it is approved.</summary>
    Preview,
    /// <summary>Read-only triage jobs run.</summary>
    Triage,
    /// <summary>The canary jobs run.</summary>
    Canary,
    /// <summary>The canary ended; the campaign waits for approval with its results and a forecast.</summary>
    AwaitingApproval,
    /// <summary>Jobs of up to five repositories start as concurrency, budget and pacing allow.</summary>
    FanOut,
    /// <summary>Every repository ended.</summary>
    Done,
    /// <summary>The budget is reached: no new job starts; the runs in flight finished.</summary>
    StoppedAtBudget,
    /// <summary>Cancelled: no new job starts, running jobs are cancelled.</summary>
    Cancelled,
}
