namespace CodyBatch.Core.Engine;

/// <summary>Why a claimed run stopped before its pipeline returned an outcome, if it did.</summary>
public enum RunStop
{
    /// <summary>It did not: the pipeline returned how the attempt ended.</summary>
    None,

    /// <summary>Another worker owns the run now; this one records nothing.</summary>
    LeaseLost,

    /// <summary>A user cancelled it.</summary>
    Cancelled,

    /// <summary>It ran past CodyBatch:Worker:RunTimeout.</summary>
    TimedOut,

    /// <summary>The process is shutting down; the run is given back for the next start.</summary>
    ShuttingDown,
}
