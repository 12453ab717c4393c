using CodyBatch.Core.Prompts;

namespace CodyBatch.Aws.Documents;

/// <summary>Saved prompts in the jobs table: items <c>pk = PROMPTS, sk = id</c>.</summary>
public sealed class DynamoDbSavedPromptStore(IAmazonDynamoDB client, string tableName) : ISavedPromptStore
{
    private readonly DynamoDbDocuments<SavedPrompt> _documents = new(client, tableName, "PROMPTS", p => p.Id, p => p.Version, (p, v) => p with { Version = v });

    /// <inheritdoc />
    public Task CreateAsync(SavedPrompt prompt, CancellationToken cancellationToken) => _documents.CreateAsync(prompt, cancellationToken);

    /// <inheritdoc />
    public Task<SavedPrompt?> GetAsync(string id, CancellationToken cancellationToken) => _documents.GetAsync(id, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<SavedPrompt>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await _documents.ListAsync(cancellationToken)).OrderBy(p => p.Name.ToUpperInvariant(), StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal)];

    /// <inheritdoc />
    public Task<SavedPrompt?> TryUpdateAsync(SavedPrompt prompt, CancellationToken cancellationToken) => _documents.TryUpdateAsync(prompt, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => _documents.DeleteAsync(id, cancellationToken);
}
