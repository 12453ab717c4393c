using CodyBatch.Core.Prompts;

namespace CodyBatch.Storage.Sqlite.Documents;

/// <summary>Saved prompts in the job store's SQLite file (table <c>saved_prompts</c>).</summary>
public sealed class SqliteSavedPromptStore(SqliteJobStore database) : ISavedPromptStore
{
    private readonly SqliteDocuments<SavedPrompt> _documents = new(
        database, "saved_prompts", p => p.Id, p => p.Version, p => p.Name.ToUpperInvariant(), (p, v) => p with { Version = v });

    /// <inheritdoc />
    public Task CreateAsync(SavedPrompt prompt, CancellationToken cancellationToken) => _documents.CreateAsync(prompt, cancellationToken);

    /// <inheritdoc />
    public Task<SavedPrompt?> GetAsync(string id, CancellationToken cancellationToken) => _documents.GetAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SavedPrompt>> ListAsync(CancellationToken cancellationToken) => _documents.ListAsync(cancellationToken);

    /// <inheritdoc />
    public Task<SavedPrompt?> TryUpdateAsync(SavedPrompt prompt, CancellationToken cancellationToken) => _documents.TryUpdateAsync(prompt, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => _documents.DeleteAsync(id, cancellationToken);
}
