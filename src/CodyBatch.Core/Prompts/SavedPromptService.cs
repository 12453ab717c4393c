using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.Prompts;

/// <summary>What the API and the CLI do with saved prompts: create, edit, list, delete.</summary>
public sealed class SavedPromptService(ISavedPromptStore store, JobRequestValidator validator, TimeProvider time)
{
    /// <summary>Longest name, in characters.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Longest description, in characters.</summary>
    public const int MaxDescriptionLength = 500;

    /// <summary>Every saved prompt, by name.</summary>
    public Task<IReadOnlyList<SavedPrompt>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>The saved prompt, or null.</summary>
    public Task<SavedPrompt?> GetAsync(string id, CancellationToken cancellationToken) =>
        IsId(id) ? store.GetAsync(id, cancellationToken) : Task.FromResult<SavedPrompt?>(null);

    /// <summary>Validates and stores a new saved prompt.</summary>
    public async Task<SavedPromptResult> CreateAsync(SavedPromptRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (prompt, errors) = Validate(request, new SavedPrompt { Id = NewId(now), Name = "", Prompt = "", CreatedAt = now, UpdatedAt = now, Author = Access.CallerContext.Current.Name });
        if (prompt is null)
        {
            return new SavedPromptResult(null, errors);
        }

        await store.CreateAsync(prompt, cancellationToken);
        return new SavedPromptResult(prompt, errors);
    }

    /// <summary>Replaces every field of a saved prompt with the request's.</summary>
    public async Task<SavedPromptResult> UpdateAsync(string id, SavedPromptRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var current = await GetAsync(id, cancellationToken);
            if (current is null)
            {
                return new SavedPromptResult(null, new Dictionary<string, string[]>(), NotFound: true);
            }

            var (changed, errors) = Validate(request, current with { UpdatedAt = time.GetUtcNow() });
            if (changed is null)
            {
                return new SavedPromptResult(null, errors);
            }

            if (await store.TryUpdateAsync(changed, cancellationToken) is { } stored)
            {
                return new SavedPromptResult(stored, errors);
            }
        }

        throw new InvalidOperationException($"The saved prompt {id} kept changing under this writer; try again.");
    }

    /// <summary>Deletes a saved prompt; false when there was none.</summary>
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        IsId(id) ? store.DeleteAsync(id, cancellationToken) : Task.FromResult(false);

    /// <summary>A new id for a prompt saved at <paramref name="now"/>.</summary>
    public static string NewId(DateTimeOffset now) => "prompt-" + JobId.New(now);

    /// <summary>True when <paramref name="id"/> has the shape of a saved prompt's id.</summary>
    public static bool IsId(string? id) => id is not null && id.StartsWith("prompt-", StringComparison.Ordinal) && JobId.IsValid(id["prompt-".Length..]);

    private (SavedPrompt? Prompt, IReadOnlyDictionary<string, string[]> Errors) Validate(SavedPromptRequest request, SavedPrompt basis)
    {
        var errors = new FieldErrors();
        var name = errors.Required("name", request.Name, MaxNameLength, "Give the prompt a name for the picker.");
        var description = request.Description?.Trim() ?? "";
        if (description.Length > MaxDescriptionLength)
        {
            errors.Add("description", $"The description has {description.Length:N0} characters; shorten it to at most {MaxDescriptionLength}.");
        }

        var text = errors.Required("prompt", request.Prompt, JobRequestValidator.MaxPromptLength, "Write the prompt: the instruction Claude follows in every repository.");
        var mode = errors.Mode(request.Mode);
        var model = errors.Model(request.Model);
        var checks = errors.Checks(request.Checks);
        var network = validator.CheckEnvironment(request.Shell, request.Network, errors.Add);
        if (errors.Any)
        {
            return (null, errors.ToDictionary());
        }

        return (basis with { Name = name!, Description = description, Prompt = text!, Mode = mode, Model = model, Checks = checks, Shell = request.Shell, Network = network }, errors.ToDictionary());
    }
}
