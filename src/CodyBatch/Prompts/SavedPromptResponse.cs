using CodyBatch.Core.Prompts;

namespace CodyBatch.Prompts;

/// <summary>
/// A saved prompt as the API shows it; <c>shell</c> (false: no shell) and <c>network</c> (<c>registries</c> or <c>none</c>)
/// are null when it leaves them to the server.
/// </summary>
public sealed record SavedPromptResponse(
    string Id, string Name, string Description, string Prompt, JobMode Mode, IReadOnlyList<string> Checks, string? Model, bool? Shell, string? Network, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Author)
{
    public static SavedPromptResponse From(SavedPrompt p) => new(p.Id, p.Name, p.Description, p.Prompt, p.Mode, p.Checks, p.Model, p.Shell, p.Network is { } network ? JobRequestValidator.NetworkText(network) : null, p.CreatedAt, p.UpdatedAt, p.Author);
}
