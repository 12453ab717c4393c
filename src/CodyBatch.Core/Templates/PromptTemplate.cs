namespace CodyBatch.Core.Templates;

/// <summary>A ready-made prompt a user can start from.</summary>
/// <param name="Id">Stable identifier.</param>
/// <param name="Name">What the picker shows.</param>
/// <param name="Description">One sentence on what it does.</param>
/// <param name="Prompt">The prompt text, to use as is or edit.</param>
/// <param name="Mode"><c>pullRequest</c> or <c>patch</c>, the mode that suits it.</param>
public sealed record PromptTemplate(string Id, string Name, string Description, string Prompt, string Mode);
