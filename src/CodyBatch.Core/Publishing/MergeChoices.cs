namespace CodyBatch.Core.Publishing;

/// <summary>What a job asks for about merging; what is left out takes the server's default.</summary>
public sealed record MergeChoices
{
    /// <summary><c>never</c> or <c>green</c>.</summary>
    public string? When { get; init; }

    /// <summary><c>merge</c>, <c>squash</c> or <c>rebase</c>.</summary>
    public string? Method { get; init; }
}
