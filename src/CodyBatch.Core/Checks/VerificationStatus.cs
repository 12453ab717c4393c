namespace CodyBatch.Core.Checks;

/// <summary>What the repository's checks say about a change, comparing the baseline with the result.</summary>
public enum VerificationStatus
{
    /// <summary>Every check passes after the change and passed before it.</summary>
    Passed,

    /// <summary>A check that failed on the baseline passes after the change, and nothing newly fails.</summary>
    Fixed,

    /// <summary>A check that passed on the baseline fails after the change.</summary>
    Broke,

    /// <summary>Checks failed on the baseline and still fail; nothing newly broken.</summary>
    Failing,

    /// <summary>The repository has no checks (or the job asked for none).</summary>
    Skipped,

    /// <summary>The checks could not run here (no sandbox).</summary>
    Unavailable,
}
