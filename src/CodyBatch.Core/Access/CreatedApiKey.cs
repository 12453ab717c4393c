namespace CodyBatch.Core.Access;

/// <summary>The outcome of creating a key: the stored key and its text (shown this once, never stored), or what to fix.</summary>
/// <param name="Key">The stored key; null when refused.</param>
/// <param name="Secret">The key's text; only here, only now.</param>
/// <param name="Errors">Field → sentences, when refused.</param>
public sealed record CreatedApiKey(ApiKey? Key, string? Secret, IReadOnlyDictionary<string, string[]> Errors);
