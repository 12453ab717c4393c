using CodyBatch.Core.Prompts;

namespace CodyBatch.Prompts;

/// <summary>A saved prompt as the API shows it.</summary>
public sealed record SavedPromptResponse(
    string Id, string Name, string Description, string Prompt, JobMode Mode, IReadOnlyList<string> Checks, string? Model, bool? Shell, JobNetwork? Network, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Author)
{
    public static SavedPromptResponse From(SavedPrompt p) => new(p.Id, p.Name, p.Description, p.Prompt, p.Mode, p.Checks, p.Model, p.Shell, p.Network, p.CreatedAt, p.UpdatedAt, p.Author);
}
