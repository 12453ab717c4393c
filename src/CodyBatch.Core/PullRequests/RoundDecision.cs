namespace CodyBatch.Core.PullRequests;

/// <summary>Whether a follow-up round is due for one cause, and why (or why not), in a sentence a user reads.</summary>
/// <param name="Cause">The cause's key (kind and host id), so one cause is decided once.</param>
/// <param name="Due">True when a round should start for it.</param>
/// <param name="Reason">"Round due: …" or "No round: …".</param>
/// <param name="NeedsAttention">True when this decision puts the pull request past its bound: one comment says a person is needed.</param>
public sealed record RoundDecision(string Cause, bool Due, string Reason, bool NeedsAttention = false);
