namespace CodyBatch.Core.Campaigns;

/// <summary>What a triage run answered for one repository.</summary>
/// <param name="Necessary">Whether changes are necessary.</param>
/// <param name="Reason">Why, in a sentence.</param>
/// <param name="Confidence">0 to 1; null when the run did not say.</param>
public sealed record TriageResult(bool Necessary, string? Reason, double? Confidence);
