namespace CodyBatch.Core.Campaigns;

/// <summary>Where one repository of a campaign is.</summary>
public enum RepositoryPhase
{
    /// <summary>Waiting for triage or for its fix job.</summary>
    Pending,
    /// <summary>Its triage job runs.</summary>
    Triaging,
    /// <summary>Triage (or the hand override) says no change is necessary; no fix runs.</summary>
    NotNeeded,
    /// <summary>Its fix job runs.</summary>
    Running,
    /// <summary>Its fix run ended.</summary>
    Done,
    /// <summary>The campaign was cancelled or stopped before it ran.</summary>
    Skipped,
}
