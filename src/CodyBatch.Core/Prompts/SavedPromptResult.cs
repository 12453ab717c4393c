namespace CodyBatch.Core.Prompts;

/// <summary>A saved prompt as stored, or why not: the messages per field, or that it does not exist.</summary>
/// <param name="Prompt">The stored prompt, when it worked.</param>
/// <param name="Errors">What to fix, per request field; empty when it worked.</param>
/// <param name="NotFound">True when the prompt to change does not exist.</param>
public sealed record SavedPromptResult(SavedPrompt? Prompt, IReadOnlyDictionary<string, string[]> Errors, bool NotFound = false);
