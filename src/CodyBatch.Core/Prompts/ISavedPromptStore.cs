namespace CodyBatch.Core.Prompts;

/// <summary>Where saved prompts live; every implementation passes the same contract test suite.</summary>
public interface ISavedPromptStore
{
    /// <summary>Stores a new saved prompt. Throws when the id exists.</summary>
    Task CreateAsync(SavedPrompt prompt, CancellationToken cancellationToken);

    /// <summary>The saved prompt, or null.</summary>
    Task<SavedPrompt?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every saved prompt, by name (case-insensitive), then id.</summary>
    Task<IReadOnlyList<SavedPrompt>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored prompt if its version still equals <c>prompt.Version</c>; returns it as
    /// stored (version incremented), or null when someone else changed it first or it is gone.
    /// </summary>
    Task<SavedPrompt?> TryUpdateAsync(SavedPrompt prompt, CancellationToken cancellationToken);

    /// <summary>Deletes the saved prompt; false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
