namespace CodyBatch.Campaigns;

/// <summary>The body of a triage override: <c>necessary</c> true runs the fix there, false skips it, null follows triage again.</summary>
public sealed record TriageOverrideRequest(bool? Necessary);
