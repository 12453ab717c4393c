namespace CodyBatch.Core.Agent;

/// <summary>The models a job may use, where the list came from, and a sentence when it is not the provider's own list.</summary>
/// <param name="Models">The models, newest first.</param>
/// <param name="Source"><c>anthropic</c> (the Models API), <c>bedrock</c> (Bedrock's list of Anthropic models) or <c>price-table</c> (the configured models, when the provider's list could not be read).</param>
/// <param name="Note">What a user should know about the list (why it is the price table's), or null.</param>
public sealed record ModelListing(IReadOnlyList<AvailableModel> Models, string Source, string? Note);
