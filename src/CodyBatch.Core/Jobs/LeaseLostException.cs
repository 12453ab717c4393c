namespace CodyBatch.Core.Jobs;

/// <summary>A worker tried to change a run it no longer owns (its lease expired and another worker took over).</summary>
public sealed class LeaseLostException(string jobId, string repository)
    : InvalidOperationException($"This worker no longer owns the run for {repository} in job {jobId}.");
