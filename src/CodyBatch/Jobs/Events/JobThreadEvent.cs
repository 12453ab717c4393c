namespace CodyBatch.Jobs;

/// <summary>The <c>thread</c> event: entries of a run's thread (attempt <c>Attempts</c>) from index <c>From</c> on, stored since the last event.</summary>
public sealed record JobThreadEvent(string Repository, int Attempts, int From, IReadOnlyList<ThreadEntry> Entries);
