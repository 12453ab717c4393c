namespace CodyBatch.Core.Campaigns;

/// <summary>A validated campaign request (or what to fix) and what its selection resolved to.</summary>
/// <param name="Spec">The spec to store, or null when there is something to fix.</param>
/// <param name="Selection">The resolved selection (the preview).</param>
/// <param name="Errors">What to fix, per field (the request's JSON names).</param>
public sealed record CampaignValidation(CampaignSpec? Spec, ResolvedSelection Selection, IReadOnlyDictionary<string, string[]> Errors);
