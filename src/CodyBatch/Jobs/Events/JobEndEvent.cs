namespace CodyBatch.Jobs;

/// <summary>The <c>end</c> event: every run has ended; the stream closes after it.</summary>
public sealed record JobEndEvent(string Id, JobStatus Status);
